/**
 * Merging the shards' time series. Each series has one point per interval since its shard's start
 * (point i ends near (i + 1) × intervalMs; the last may cover less), so points align by their interval
 * bucket: a finer series is first coarsened to the coarsest interval (as the run itself coarsens, with
 * mergePoints), then the shards' points of one bucket combine: gauges, counts, rates and queue depths
 * add up (the shards run side by side), p95 takes the maximum (an upper bound of the fleet's p95).
 */
import { mergePoints, type TimeSeriesPoint, type TimeSeriesReport } from '../metrics/timeseries.js';

const maxOrNull = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);

/** The series at `intervalMs` (a whole multiple of its own), neighbouring points merged in groups. */
export function coarsen(series: TimeSeriesReport, intervalMs: number): TimeSeriesPoint[] {
  const factor = Math.max(1, Math.round(intervalMs / series.intervalMs));
  if (factor === 1) return series.points.map((p) => ({ ...p }));
  const out: TimeSeriesPoint[] = [];
  let spanOfLast = 0;
  let previousTMs = 0;
  series.points.forEach((p, i) => {
    const span = Math.max(0, p.tMs - previousTMs);
    previousTMs = p.tMs;
    if (i % factor === 0) {
      out.push({ ...p });
      spanOfLast = span;
    } else {
      out[out.length - 1] = mergePoints(out[out.length - 1], p, spanOfLast, span);
      spanOfLast += span;
    }
  });
  return out;
}

/** The points of several shards in one bucket, side by side. */
function sideBySide(points: readonly TimeSeriesPoint[]): TimeSeriesPoint {
  return points.reduce((a, b) => ({
    tMs: Math.max(a.tMs, b.tMs),
    simMs: Math.max(a.simMs, b.simMs),
    connected: a.connected + b.connected,
    activeSessions: a.activeSessions + b.activeSessions,
    completedSessions: a.completedSessions + b.completedSessions,
    messagesPerSecond: a.messagesPerSecond + b.messagesPerSecond,
    p95Ms: maxOrNull(a.p95Ms, b.p95Ms),
    queueDepth: a.queueDepth + b.queueDepth,
    errors: a.errors + b.errors,
  }));
}

/** The fleet's series from the shards' (null when no shard has one). */
export function mergeTimeSeries(list: readonly (TimeSeriesReport | null)[]): TimeSeriesReport | null {
  const series = list.filter((s): s is TimeSeriesReport => s !== null && s.intervalMs > 0);
  if (series.length === 0) return null;
  const intervalMs = Math.max(...series.map((s) => s.intervalMs));
  const aligned = series.map((s) => coarsen(s, intervalMs));
  const length = Math.max(...aligned.map((points) => points.length));
  const points: TimeSeriesPoint[] = [];
  for (let i = 0; i < length; i++) {
    const bucket = aligned.flatMap((pts) => (i < pts.length ? [pts[i]] : []));
    points.push(sideBySide(bucket));
  }
  return { intervalMs, points };
}
