import type { Metrics } from '../metrics/collector.js';
import type { Scenario } from '../scenario/types.js';
import { formatDuration } from '../scenario/duration.js';

const EVERY_MS = 5_000;

/**
 * A plain progress line on stderr every few seconds (stdout stays for the summary). Messages per second
 * are measured between two lines.
 */
export function startProgress(metrics: Metrics, scenario: Scenario, out: NodeJS.WriteStream): { stop(): void } {
  const t0 = performance.now();
  const wallTotal = scenario.durationMs / scenario.timeScale;
  let lastSent = 0;
  let lastAt = t0;
  const timer = setInterval(() => {
    const now = performance.now();
    const s = metrics.snapshot();
    const total = s.messages.sent + s.messages.received;
    const rate = ((total - lastSent) * 1000) / (now - lastAt);
    lastSent = total;
    lastAt = now;
    const p95 = s.p95Ms === null ? '–' : `${s.p95Ms.toFixed(1)} ms`;
    out.write(
      `[${formatDuration(Math.round(now - t0))}/${formatDuration(wallTotal)}] ` +
        `stations ${s.accepted}/${scenario.fleet.stations} · sessions ${s.sessions.active} active, ` +
        `${s.sessions.completed} completed · ${rate.toFixed(0)} msg/s · p95 ${p95} · errors ${s.messages.errors}\n`,
    );
  }, EVERY_MS);
  return { stop: () => clearInterval(timer) };
}
