import type { Metrics, MetricsSnapshot } from '../metrics/collector.js';
import type { Scenario } from '../scenario/types.js';

const TTY_EVERY_MS = 500;
const PLAIN_EVERY_MS = 5_000;

/**
 * Live progress on stderr (stdout stays for the summary). On a terminal: a compact two-line view
 * redrawn in place; otherwise (CI logs): a plain line every few seconds. Messages per second are
 * measured between two updates.
 */
export function startProgress(
  metrics: Metrics,
  scenario: Scenario,
  stations: number,
  out: NodeJS.WriteStream,
): { stop(): void } {
  const tty = Boolean(out.isTTY);
  const t0 = performance.now();
  const wallTotal = scenario.durationMs / scenario.timeScale;
  let last = { at: t0, messages: 0 };
  let drawn = 0;
  const rampEndsAt = t0 + (stations / scenario.rampUp.stationsPerSecond) * 1000;
  const update = () => {
    const now = performance.now();
    const s = metrics.snapshot();
    const total = s.messages.sent + s.messages.received;
    const rate = ((total - last.messages) * 1000) / Math.max(1, now - last.at);
    last = { at: now, messages: total };
    const lines = describe(s, rate, now - t0, wallTotal, stations, now < rampEndsAt);
    if (!tty) return void out.write(`${lines.join(' · ')}\n`);
    const width = Math.max(40, (out.columns || 80) - 1);
    const up = drawn > 0 ? `\x1b[${drawn}A` : '';
    out.write(up + lines.map((l) => `\x1b[2K${l.slice(0, width)}\n`).join(''));
    drawn = lines.length;
  };
  const timer = setInterval(update, tty ? TTY_EVERY_MS : PLAIN_EVERY_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      if (tty && drawn > 0) update();
    },
  };
}

function describe(s: MetricsSnapshot, rate: number, elapsedMs: number, totalMs: number, stations: number, ramping: boolean): string[] {
  const done = Math.min(1, elapsedMs / totalMs);
  const phase = ramping && s.accepted < stations ? `ramping up ${s.accepted.toLocaleString('en')}/${stations.toLocaleString('en')}` : `${Math.floor(done * 100)}%`;
  const p95 = s.p95Ms === null ? '–' : `${s.p95Ms.toFixed(1)} ms`;
  return [
    `[${clock(elapsedMs)}/${clock(totalMs)}] ${phase}`,
    `stations ${s.connected}/${stations} connected · sessions ${s.sessions.active} active, ` +
      `${s.sessions.completed} completed · ${rate.toFixed(0)} msg/s · p95 ${p95} · errors ${s.messages.errors} · queued ${s.queueDepth}`,
  ];
}

/** Wall time as m:ss (or h:mm:ss), the way a stopwatch shows it. */
function clock(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
