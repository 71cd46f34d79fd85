/**
 * ev-sim's own health during a run: whether the load generator kept up with its schedule, so a figure
 * it reports is about the CSMS and not about ev-sim. Two signals:
 * - how late each CALL went on the wire against when it was due (timer lateness plus waiting behind the
 *   one-call-in-flight rule or the offline queue: a slow CSMS shows here too);
 * - the fleet process's event-loop delay and CPU (only ev-sim's own saturation shows here).
 */
import { createLatencyHistogram, encodeHistogram, latencyStats, recordMs, type LatencyStats } from './histogram.js';

/** A CALL that went out more than this late counts as late. */
export const LATE_MS = 1_000;
/** Event-loop delay p99 above this means ev-sim could not keep its own timers. */
export const SATURATED_LOOP_P99_MS = 100;
/** CPU above this share of one core over the run means the fleet process was saturated. */
export const SATURATED_CPU_PERCENT = 90;

export interface HealthReport {
  /** How late CALLs went on the wire against when they were due, ms. */
  sendDelayMs: LatencyStats & { histogram: string };
  /** CALLs that went out more than 1 s after they were due. */
  lateSends: number;
  /** lateSends as a percentage of all CALLs the stations sent. */
  lateSendsPercent: number;
  /** Event-loop delay of the fleet process, ms; null when not measured. */
  eventLoopDelayMs: { p50: number; p99: number; max: number } | null;
  /** CPU of the fleet process over the run, % of one core; null when not measured. */
  cpuPercent: number | null;
  /** Peak resident memory of the fleet process (whole run, MB); null when not measured. */
  peakRssMb: number | null;
  /** True when ev-sim itself could not keep up (event-loop p99 or CPU over the limits above). */
  saturated: boolean;
  /** Why `saturated` is true, in words; empty otherwise. */
  reasons: string[];
}

export interface ProcessHealth {
  eventLoopDelayMs: { p50: number; p99: number; max: number } | null;
  cpuPercent: number | null;
  peakRssMb: number | null;
}

export function createSendDelayTracker() {
  const all = createLatencyHistogram();
  let late = 0;
  return {
    record(delayMs: number): void {
      recordMs(all, delayMs);
      if (delayMs > LATE_MS) late++;
    },
    report(measured: ProcessHealth): HealthReport {
      const stats = latencyStats(all);
      const reasons: string[] = [];
      const loop = measured.eventLoopDelayMs;
      if (loop && loop.p99 > SATURATED_LOOP_P99_MS) reasons.push(`event-loop delay p99 ${loop.p99} ms > ${SATURATED_LOOP_P99_MS} ms`);
      if (measured.cpuPercent !== null && measured.cpuPercent > SATURATED_CPU_PERCENT) {
        reasons.push(`fleet CPU ${measured.cpuPercent}% of a core > ${SATURATED_CPU_PERCENT}%`);
      }
      return {
        sendDelayMs: { ...stats, histogram: encodeHistogram(all) },
        lateSends: late,
        lateSendsPercent: stats.count === 0 ? 0 : Math.round((10_000 * late) / stats.count) / 100,
        eventLoopDelayMs: loop,
        cpuPercent: measured.cpuPercent,
        peakRssMb: measured.peakRssMb,
        saturated: reasons.length > 0,
        reasons,
      };
    },
  };
}

/**
 * Health of several shards as one: slip histograms merge losslessly; each shard ran in its own
 * process, so the worst event-loop delay, CPU and peak RSS stand for the run, and any saturated shard
 * saturates it.
 */
export function mergeHealth(parts: readonly (HealthReport | null | undefined)[], merge: (encoded: string[]) => LatencyStats & { histogram: string }): HealthReport | null {
  const list = parts.filter((h): h is HealthReport => !!h);
  if (list.length === 0) return null;
  const sendDelayMs = merge(list.map((h) => h.sendDelayMs.histogram));
  const lateSends = list.reduce((n, h) => n + h.lateSends, 0);
  const loops = list.map((h) => h.eventLoopDelayMs).filter((l): l is NonNullable<typeof l> => l !== null);
  const cpus = list.map((h) => h.cpuPercent).filter((c): c is number => c !== null);
  const rss = list.map((h) => h.peakRssMb).filter((m): m is number => typeof m === 'number');
  return {
    sendDelayMs,
    lateSends,
    lateSendsPercent: sendDelayMs.count === 0 ? 0 : Math.round((10_000 * lateSends) / sendDelayMs.count) / 100,
    eventLoopDelayMs: loops.length === 0 ? null : {
      p50: Math.max(...loops.map((l) => l.p50)),
      p99: Math.max(...loops.map((l) => l.p99)),
      max: Math.max(...loops.map((l) => l.max)),
    },
    cpuPercent: cpus.length === 0 ? null : Math.max(...cpus),
    peakRssMb: rss.length === 0 ? null : Math.max(...rss),
    saturated: list.some((h) => h.saturated),
    reasons: list.flatMap((h) => h.reasons),
  };
}
