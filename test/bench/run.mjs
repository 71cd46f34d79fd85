/**
 * `npm run bench`: what ev-sim costs on this machine, so the load generator is never the bottleneck.
 *
 *   node test/bench/run.mjs [--quick] [--runs N] [--only roundTrip,fleetCpu,fleetCpuHigh,memory,connect]
 *                           [--default-heap]
 *
 * Measures, each as the median of several runs (5; --quick 3 with smaller sizes), every run in fresh
 * child processes, every server on 127.0.0.1:
 *   1. CPU per OCPP round trip (MeterValues, 4 sampled values), bare `ws` vs ev-sim's connection layer,
 *      against an ocpp-rpc strict-mode server in another process;
 *   2. CPU per round trip of a whole fleet run (`runScenario`, sessions, 1 s samples, timeScale 1), each
 *      run paired with a bare `ws` client making the same calls at the same pace; 2b. the same at
 *      timeScale 20 (about 20 times the message rate);
 *   3. peak RSS per connected station with sessions running;
 *   4. wall time from the first connect to every BootNotification Accepted, ramp-up unlimited.
 * Prints a table and writes reports/bench-<timestamp>.json. Needs the built code: `npm run build`.
 * Where the fleet's CPU goes: test/bench/profile.mjs.
 */
import { parseArgs } from 'node:util';
import { describeMachine, socketBudgetProblem } from './machine.mjs';
import { createBudget, fleetCpuSuite, fleetSuite, roundTripSuite } from './suites.mjs';
import { BENCH_CONNECTORS } from './fleet-scenario.mjs';
import { renderTable, summarise, writeJson } from './report.mjs';

const UNLIMITED_RAMP = 1_000_000;

const SIZES = {
  full: {
    label: 'full',
    runs: 5,
    budgetMs: 14 * 60_000,
    roundTrip: { sockets: 500, calls: 100 },
    fleetCpu: { stations: 500, durationS: 20, sampleIntervalS: 1, warmupS: 3 },
    fleetCpuHigh: { stations: 500, durationS: 12, sampleIntervalS: 1, warmupS: 3, timeScale: 20 },
    memory: { stations: 5000, sampleIntervalS: 10, holdS: 10 },
    connect: { stations: 5000 },
  },
  quick: {
    label: 'quick',
    runs: 3,
    budgetMs: 4.5 * 60_000,
    roundTrip: { sockets: 200, calls: 50 },
    fleetCpu: { stations: 200, durationS: 20, sampleIntervalS: 1, warmupS: 3 },
    fleetCpuHigh: { stations: 200, durationS: 10, sampleIntervalS: 1, warmupS: 3, timeScale: 20 },
    memory: { stations: 1000, sampleIntervalS: 10, holdS: 8 },
    connect: { stations: 1000 },
  },
};

const SUITES = ['roundTrip', 'fleetCpu', 'fleetCpuHigh', 'memory', 'connect'];

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
      'default-heap': { type: 'boolean', default: false },
    },
  });
  const config = structuredClone(values.quick ? SIZES.quick : SIZES.full);
  if (values.runs !== undefined) config.runs = Math.max(1, Number.parseInt(values.runs, 10) || config.runs);
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : SUITES;
  const unknown = only.filter((s) => !SUITES.includes(s));
  if (unknown.length > 0) throw new Error(`--only: unknown measurement ${unknown.join(', ')} (known: ${SUITES.join(', ')})`);
  // What `ev-sim run` does (src/cli/heap.ts); --default-heap measures V8's defaults for comparison.
  config.leanHeap = !values['default-heap'];
  return { config, only };
}

/** The fleet-process options of measurements 2-4 (see fleet.mjs). */
function fleetOptions(config) {
  const { fleetCpu, fleetCpuHigh, memory, connect, leanHeap } = config;
  return {
    fleetCpu: { mode: 'cpu', sessions: true, rampPerSecond: UNLIMITED_RAMP, holdS: 0, leanHeap, ...fleetCpu },
    fleetCpuHigh: { mode: 'cpu', sessions: true, rampPerSecond: UNLIMITED_RAMP, holdS: 0, leanHeap, ...fleetCpuHigh },
    memory: { mode: 'memory', sessions: true, rampPerSecond: UNLIMITED_RAMP, durationS: 150, warmupS: 0, leanHeap, ...memory },
    connect: { mode: 'connect', sessions: false, sampleIntervalS: 60, rampPerSecond: UNLIMITED_RAMP, durationS: 120, warmupS: 0, holdS: 0, leanHeap, ...connect },
  };
}

const MIN_SAMPLE_MS = { fleetCpu: 70_000, fleetCpuHigh: 50_000, memory: 45_000, connect: 25_000 };

async function main() {
  const { config, only } = options();
  const machine = describeMachine();
  const largest = Math.max(config.memory.stations, config.connect.stations, config.fleetCpu.stations, config.roundTrip.sockets);
  const problem = socketBudgetProblem(machine, largest);
  if (problem) throw new Error(`cannot run these sizes here: ${problem}`);
  const log = (msg) => process.stderr.write(`${msg}\n`);
  const ctx = { budget: createBudget(config.budgetMs), log };
  const fleets = fleetOptions(config);
  const raw = {};
  const heap = config.leanHeap ? 'lean heap as ev-sim run sets it' : "V8's default heap";
  log(`ev-sim bench (${config.label}, ${config.runs} runs each, ${heap}): ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}`);
  for (const name of only) {
    log(`${name}:`);
    if (name === 'roundTrip') raw[name] = await roundTripSuite(config.roundTrip, config.runs, ctx);
    else if (name.startsWith('fleetCpu')) raw[name] = await fleetCpuSuite(name, fleets[name], config.runs, ctx, { minMs: MIN_SAMPLE_MS[name], connectors: BENCH_CONNECTORS });
    else raw[name] = await fleetSuite(name, fleets[name], config.runs, ctx, { minMs: MIN_SAMPLE_MS[name] });
  }
  const figures = summarise(raw);
  process.stdout.write(`\n${renderTable(machine, config, figures)}\n`);
  const path = await writeJson('reports', new Date(machine.date), { machine, config, fleetOptions: fleets, figures, samples: raw });
  process.stdout.write(`\nJSON: ${path}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
