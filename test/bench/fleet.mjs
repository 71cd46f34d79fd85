/**
 * Child process: one ev-sim fleet, run with `runScenario` from the built API against a CSMS in
 * another process. Options (argv[2], JSON):
 *   { url, mode: 'cpu' | 'memory' | 'connect', stations, sessions, sampleIntervalS, durationS,
 *     rampPerSecond, warmupS, holdS, leanHeap, timeScale }
 * durationS, warmupS and holdS are wall seconds; sampleIntervalS is simulated (timeScale, default 1,
 * divides it: at 20 a 1 s sample interval is 50 ms of wall time).
 * leanHeap (default true) applies the V8 heap settings `ev-sim run` applies (src/cli/heap.ts).
 * - cpu: the scenario runs its full duration; CPU of the whole run and of a steady-state window.
 * - memory: once every station is accepted the run holds `holdS` seconds, then ends (abort).
 * - connect: the run ends as soon as every station is accepted.
 * In memory mode RSS is sampled every 200 ms until the hold ends (while every station is connected
 * and sessions run); the baseline is taken after GC, before any station exists.
 * Needs --expose-gc.
 */
import diagnostics from 'node:diagnostics_channel';
import { runScenario } from '../../dist/api.js';
import { createMetrics } from '../../dist/metrics/collector.js';
import { useLeanHeap } from '../../dist/cli/heap.js';
import { fleetScenario } from './fleet-scenario.mjs';
import { childOptions, sendError, sendResult } from './procs.mjs';
import { startRssSampler } from './rss.mjs';
import { cpuMicros } from './stats.mjs';

async function main(o) {
  const timeScale = o.timeScale ?? 1;
  const scenario = fleetScenario({ ...o, timeScale, durationS: o.durationS * timeScale, gracePeriodS: 10 });
  const metrics = createMetrics();
  const run = { o, metrics, ac: new AbortController(), rss: null, memory: null, heldRss: null };
  const marks = { run: 0, firstSocket: null, allAccepted: null, cpu0: null, cpuAtAccepted: null };
  const window = { start: null, end: null };
  const observer = withAcceptWatch(metrics, o.stations, () => onAllAccepted(run, marks, window));
  diagnostics.subscribe('net.client.socket', () => (marks.firstSocket ??= performance.now()));
  if (o.leanHeap !== false) useLeanHeap();
  const baseline = await memoryAfterGc();
  const baselineRss = baseline.rss;
  // Only the memory run samples: reading RSS costs CPU the other measurements would count.
  run.rss = o.mode === 'memory' ? startRssSampler(200) : null;
  marks.run = performance.now();
  const cpu0 = (marks.cpu0 = process.cpuUsage());
  const runStartUs = hrtimeMicros();
  if (o.mode === 'cpu') setTimeout(() => (window.end = reading(metrics)), o.durationS * 1000 - 500);
  const outcome = await runScenario(scenario, { targetUrl: o.url, password: null, observer, signal: run.ac.signal });
  const cpuUs = cpuMicros(cpu0, process.cpuUsage());
  const runEndUs = hrtimeMicros();
  const wallMs = performance.now() - marks.run;
  const memory = run.memory ?? run.rss?.stop() ?? { peakRss: null };
  const snap = metrics.snapshot();
  const roundTrips = replied(snap);
  return {
    mode: o.mode,
    stations: o.stations,
    accepted: observer.acceptedCount(),
    partialReason: outcome.partialReason,
    wallMs,
    runWindowUs: { fromUs: runStartUs, toUs: runEndUs },
    connectWindowUs: marks.acceptedUs === undefined ? null : { fromUs: runStartUs, toUs: marks.acceptedUs },
    buildMs: marks.firstSocket === null ? null : marks.firstSocket - marks.run,
    connectMs: marks.allAccepted === null || marks.firstSocket === null ? null : marks.allAccepted - marks.firstSocket,
    // Fleet CPU from the run's start to the last Accepted, as a share of that wall time (1 = one core).
    connectCpuShare: marks.allAccepted === null ? null : marks.cpuAtAccepted / 1000 / (marks.allAccepted - marks.run),
    cpuUs,
    roundTrips,
    usPerRoundTrip: roundTrips > 0 ? cpuUs / roundTrips : null,
    steady: steadyFigures(window),
    baselineRss,
    ...memory,
    heldRss: run.heldRss,
    peakRssKbPerStation: memory.peakRss === null ? null : (memory.peakRss - baselineRss) / 1024 / o.stations,
    heldRssKbPerStation: run.heldRss === null ? null : (run.heldRss - baselineRss) / 1024 / o.stations,
    baselineHeapUsed: baseline.heapUsed,
    heldHeapUsed: run.heldHeapUsed ?? null,
    heldExternal: run.heldExternal ?? null,
    heldHeapKbPerStation: run.heldHeapUsed === undefined ? null : (run.heldHeapUsed - baseline.heapUsed) / 1024 / o.stations,
    sessionsAtHold: run.sessionsAtHold ?? null,
    messages: run.messagesAtAccepted ?? snap.messages,
    sessions: snap.sessions,
  };
}

/** The run's observer: the metrics collector, plus a count of distinct stations accepted. */
function withAcceptWatch(metrics, stations, onAll) {
  const accepted = new Set();
  return {
    ...metrics,
    connection(id, state) {
      metrics.connection(id, state);
      if (state !== 'accepted' || accepted.has(id)) return;
      accepted.add(id);
      if (accepted.size === stations) onAll();
    },
    acceptedCount: () => accepted.size,
  };
}

function onAllAccepted(run, marks, window) {
  marks.allAccepted = performance.now();
  marks.cpuAtAccepted = cpuMicros(marks.cpu0, process.cpuUsage());
  marks.acceptedUs = hrtimeMicros();
  const { o, ac, metrics } = run;
  if (o.mode === 'connect') {
    // Calls still in flight when the run ends count as disconnected: report the traffic up to here.
    run.messagesAtAccepted = metrics.snapshot().messages;
    ac.abort('every station accepted');
  }
  if (o.mode === 'memory') setTimeout(() => endHold(run), o.holdS * 1000);
  if (o.mode === 'cpu') setTimeout(() => (window.start = reading(metrics)), o.warmupS * 1000);
}

/**
 * The hold is over: the peak is what was sampled so far; then RSS and live heap after a full GC (the
 * memory every connected, charging station keeps), then end the run.
 */
function endHold(run) {
  run.memory = run.rss.stop();
  run.sessionsAtHold = run.metrics.snapshot().sessions;
  globalThis.gc();
  const m = process.memoryUsage();
  run.heldRss = m.rss;
  run.heldHeapUsed = m.heapUsed;
  run.heldExternal = m.external;
  run.ac.abort('hold over');
}

function reading(metrics) {
  return { at: performance.now(), cpu: process.cpuUsage(), roundTrips: replied(metrics.snapshot()) };
}

/** Calls that got an answer (CALLRESULT or CALLERROR), both directions. */
function replied(snap) {
  const m = snap.messages;
  return m.sent + m.received - m.timeouts - m.disconnects;
}

function steadyFigures({ start, end }) {
  if (!start || !end || end.at - start.at < 2000) return null;
  const roundTrips = end.roundTrips - start.roundTrips;
  const cpuUs = cpuMicros(start.cpu, end.cpu);
  return {
    seconds: (end.at - start.at) / 1000,
    roundTrips,
    cpuUs,
    usPerRoundTrip: roundTrips > 0 ? cpuUs / roundTrips : null,
    roundTripsPerS: roundTrips / ((end.at - start.at) / 1000),
  };
}

/** Monotonic µs, on the same clock as a --cpu-prof profile's timestamps. */
function hrtimeMicros() {
  return Number(process.hrtime.bigint() / 1000n);
}

async function memoryAfterGc() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage();
}

main(childOptions()).then(sendResult, sendError);
