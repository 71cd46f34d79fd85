/**
 * The run's time series: one point per sampling interval, in bounded memory whatever the run's length.
 * When `maxPoints` is reached the resolution halves: neighbouring points merge (counts add up, rates
 * average, p95 and queue depth keep the maximum, gauges keep the later value) and `intervalMs` doubles;
 * later samples then fill buckets of the new, coarser interval.
 *
 * Feeding it: every base interval (wall time) the caller records one point. `createRunSampler` builds
 * that point from the cumulative `Metrics.snapshot()` and an `IntervalProbe` (a FleetObserver teed beside
 * the metrics that measures what a snapshot cannot: per-interval p95 and the fleet's offline queue).
 */
import type { MetricsSnapshot } from './collector.js';
import { createLatencyHistogram, percentileOf, recordMs } from './histogram.js';
import { createQueueDepth } from './queue-depth.js';
import type { CallError, Direction, FleetObserver, TxMessageEvent } from './types.js';

/** One sampling interval, ending at `tMs`. */
export interface TimeSeriesPoint {
  /** Wall ms since the run's start, at the end of the interval. */
  tMs: number;
  /** Simulated ms since the run's start, at the end of the interval. */
  simMs: number;
  /** Gauge: stations connected at the end of the interval. */
  connected: number;
  /** Gauge: sessions in progress at the end of the interval. */
  activeSessions: number;
  /** Count: sessions that completed during the interval. */
  completedSessions: number;
  /** Rate: calls (both directions) per wall second over the interval. */
  messagesPerSecond: number;
  /** p95 latency (ms) of the calls the stations sent that got a reply during the interval; null if none. */
  p95Ms: number | null;
  /** Peak: most transaction messages queued across the fleet at any moment of the interval. */
  queueDepth: number;
  /** Count: calls that failed (CALLERROR, timeout, disconnect) during the interval. */
  errors: number;
}

export interface TimeSeriesReport {
  /** Wall ms covered by each point (the last point may cover less: the run ended mid-bucket). */
  intervalMs: number;
  points: TimeSeriesPoint[];
}

export interface TimeSeriesOptions {
  /** Wall ms between two `record()` calls. */
  intervalMs: number;
  /** Most points kept (at least 2); reaching it halves the resolution. */
  maxPoints: number;
}

export interface TimeSeries {
  /** Adds the point of one base interval. */
  record(point: TimeSeriesPoint): void;
  toJSON(): TimeSeriesReport;
}

/** A point with the number of base intervals it covers and their wall span (to average rates). */
interface Bucket {
  point: TimeSeriesPoint;
  count: number;
  spanMs: number;
}

const maxOrNull = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);

/** Merges `a` with the later `b`; rates are averaged weighted by the wall ms each point covers. */
export function mergePoints(a: TimeSeriesPoint, b: TimeSeriesPoint, spanA = 1, spanB = 1): TimeSeriesPoint {
  const [wa, wb] = spanA + spanB > 0 ? [spanA, spanB] : [1, 1];
  return {
    tMs: b.tMs,
    simMs: b.simMs,
    connected: b.connected,
    activeSessions: b.activeSessions,
    completedSessions: a.completedSessions + b.completedSessions,
    messagesPerSecond: (a.messagesPerSecond * wa + b.messagesPerSecond * wb) / (wa + wb),
    p95Ms: maxOrNull(a.p95Ms, b.p95Ms),
    queueDepth: Math.max(a.queueDepth, b.queueDepth),
    errors: a.errors + b.errors,
  };
}

function mergeBuckets(a: Bucket, b: Bucket): Bucket {
  return {
    point: mergePoints(a.point, b.point, a.spanMs, b.spanMs),
    count: a.count + b.count,
    spanMs: a.spanMs + b.spanMs,
  };
}

export function createTimeSeries(opts: TimeSeriesOptions): TimeSeries {
  if (!(opts.intervalMs > 0)) throw new Error(`time series interval must be > 0 ms, got ${opts.intervalMs}`);
  if (!Number.isInteger(opts.maxPoints) || opts.maxPoints < 2) {
    throw new Error(`time series maxPoints must be an integer >= 2, got ${opts.maxPoints}`);
  }
  const full: Bucket[] = [];
  /** Base intervals per bucket at the current resolution. */
  let factor = 1;
  /** The bucket being filled; complete once its count reaches `factor`. */
  let pending: Bucket | null = null;
  let lastTMs = 0;

  function halve(): void {
    factor *= 2;
    const merged: Bucket[] = [];
    for (let i = 0; i + 1 < full.length; i += 2) merged.push(mergeBuckets(full[i], full[i + 1]));
    // An odd one out covers half a new bucket: it goes on filling.
    const leftover = full.length % 2 === 1 ? full[full.length - 1] : null;
    full.length = 0;
    full.push(...merged);
    pending = leftover;
  }

  function record(point: TimeSeriesPoint): void {
    const bucket: Bucket = { point: { ...point }, count: 1, spanMs: Math.max(0, point.tMs - lastTMs) };
    lastTMs = point.tMs;
    pending = pending === null ? bucket : mergeBuckets(pending, bucket);
    if (pending.count < factor) return;
    full.push(pending);
    pending = null;
    if (full.length >= opts.maxPoints) halve();
  }

  function toJSON(): TimeSeriesReport {
    const buckets = pending === null ? full : [...full, pending];
    return { intervalMs: opts.intervalMs * factor, points: buckets.map((b) => ({ ...b.point })) };
  }

  return { record, toJSON };
}

/**
 * What a cumulative snapshot cannot tell: latency percentiles of one interval, and the fleet's offline
 * queue. Tee it beside the metrics as a FleetObserver; `take()` reads and resets the interval.
 */
export interface IntervalProbe extends FleetObserver {
  take(): { p95Ms: number | null; queueDepth: number };
}

export function createIntervalProbe(): IntervalProbe {
  const latency = createLatencyHistogram();
  const queue = createQueueDepth();

  function call(direction: Direction, _action: string, latencyMs: number, error?: CallError): void {
    // Like the metrics: replied calls (CALLRESULT or CALLERROR) have a latency, lost ones do not.
    if (direction !== 'sent' || error === 'Timeout' || error === 'Disconnected') return;
    recordMs(latency, latencyMs);
  }

  function txMessage(e: TxMessageEvent): void {
    queue.update(e);
  }

  function take(): { p95Ms: number | null; queueDepth: number } {
    const p95Ms = latency.totalCount === 0 ? null : percentileOf(latency, 95, 1000);
    latency.reset();
    return { p95Ms, queueDepth: queue.takeIntervalPeak() };
  }

  return {
    call,
    txMessage,
    session: () => undefined,
    sessionPlugged: () => undefined,
    connection: () => undefined,
    take,
  };
}

/** Records one point per call from the cumulative snapshot's deltas and the probe. */
export interface RunSampler {
  /** `tMs`: wall ms since the run's start; `simMs`: simulated ms since the run's start. */
  sample(tMs: number, simMs: number): TimeSeriesPoint;
}

export function createRunSampler(deps: {
  snapshot: () => MetricsSnapshot;
  probe: IntervalProbe;
  series: TimeSeries;
}): RunSampler {
  let last = { tMs: 0, messages: 0, errors: 0, completed: 0 };

  function sample(tMs: number, simMs: number): TimeSeriesPoint {
    const s = deps.snapshot();
    const messages = s.messages.sent + s.messages.received;
    const seconds = (tMs - last.tMs) / 1000;
    const { p95Ms, queueDepth } = deps.probe.take();
    const point: TimeSeriesPoint = {
      tMs,
      simMs,
      connected: s.connected,
      activeSessions: s.sessions.active,
      completedSessions: s.sessions.completed - last.completed,
      messagesPerSecond: seconds > 0 ? (messages - last.messages) / seconds : 0,
      p95Ms,
      queueDepth,
      errors: s.messages.errors - last.errors,
    };
    last = { tMs, messages, errors: s.messages.errors, completed: s.sessions.completed };
    deps.series.record(point);
    return point;
  }

  return { sample };
}
