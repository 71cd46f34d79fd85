import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { runScenario, type RunOptions, type RunOutcome } from '../api.js';
import type { ProcessHealth } from '../metrics/health.js';
import { createMetrics, type Metrics } from '../metrics/collector.js';
import { fanOut } from '../metrics/fanout.js';
import { createIntervalProbe, createRunSampler, createTimeSeries, type TimeSeriesReport } from '../metrics/timeseries.js';
import { createLedger, type Ledger } from '../reconcile/ledger.js';
import type { Scenario } from '../scenario/types.js';
import type { Shard } from '../fleet/shard.js';
import { shardIndices } from '../fleet/shard.js';
import type { Target } from './embedded.js';
import { useLeanHeap } from './heap.js';
import { startProgress } from './progress.js';
import { interruptOnSignals } from './signals.js';

/** One sample of the run's time series per wall second; at most this many before they merge pairwise. */
const SERIES_INTERVAL_MS = 1_000;
const SERIES_MAX_POINTS = 600;

export interface Executed {
  processHealth: ProcessHealth;
  outcome: RunOutcome;
  metrics: Metrics;
  ledger: Ledger;
  timeSeries: TimeSeriesReport;
}

/** Runs the fleet with every sink attached (metrics, ledger, time series, live progress, Ctrl-C). */
export async function executeRun(
  scenario: Scenario,
  target: Target,
  password: string | null,
  shard: Shard | null,
  quiet: boolean,
  trace?: RunOptions['trace'],
): Promise<Executed> {
  useLeanHeap();
  const metrics = createMetrics();
  const ledger = createLedger();
  const probe = createIntervalProbe();
  const series = createTimeSeries({ intervalMs: SERIES_INTERVAL_MS, maxPoints: SERIES_MAX_POINTS });
  const sampler = createRunSampler({ snapshot: metrics.snapshot, probe, series });
  const t0 = performance.now();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const sample = () => {
    const t = performance.now() - t0;
    sampler.sample(t, t * scenario.timeScale);
  };
  const sampling = setInterval(sample, SERIES_INTERVAL_MS);
  const interrupt = interruptOnSignals((msg) => process.stderr.write(msg));
  const stations = shardIndices(scenario.fleet.stations, shard).length;
  const progress = quiet ? null : startProgress(metrics, scenario, stations, process.stderr);
  try {
    const outcome = await runScenario(scenario, {
      targetUrl: target.url,
      password,
      observer: fanOut(metrics, ledger, probe),
      signal: interrupt.signal,
      shard,
      trace,
    });
    sample();
    loop.disable();
    const processHealth = measured(loop, process.cpuUsage(cpu0), performance.now() - t0);
    return { outcome, metrics, ledger, timeSeries: series.toJSON(), processHealth };
  } finally {
    clearInterval(sampling);
    progress?.stop();
    interrupt.dispose();
  }
}

/** Event-loop delay (ms), CPU (% of one core) and peak RSS (MB) of this process over the run. */
function measured(loop: IntervalHistogram, cpu: NodeJS.CpuUsage, wallMs: number): ProcessHealth {
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  return {
    eventLoopDelayMs: loop.count === 0 ? null : { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    cpuPercent: wallMs <= 0 ? null : Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
