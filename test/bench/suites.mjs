/**
 * The four measurements. Every sample starts fresh processes (a server, then a client or fleet) and
 * stops them again; a failed sample is recorded with its error and the suite goes on.
 */
import { runChild, startServer } from './procs.mjs';
import { BENCH_ID_TAG } from './fleet-scenario.mjs';

const HERE = new URL('./', import.meta.url);
const CSMS_MAIN = new URL('../../dist/csms/main.js', import.meta.url);

/** A wall-clock budget for the whole bench: samples that would start too late are skipped. */
export function createBudget(ms) {
  const end = Date.now() + ms;
  return { left: () => end - Date.now() };
}

async function collect(name, runs, ctx, minMs, one) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    if (ctx.budget.left() < minMs) {
      ctx.log(`  ${name}: skipped the remaining ${runs - i} run(s), time budget spent`);
      break;
    }
    const t0 = Date.now();
    try {
      out.push(await one(i));
    } catch (err) {
      out.push({ error: err instanceof Error ? err.message : String(err) });
    }
    ctx.log(`  ${name} ${i + 1}/${runs}: ${describe(out[out.length - 1])} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return out;
}

function describe(sample) {
  if (sample.error) return `failed: ${sample.error.split('\n')[0]}`;
  if (sample.bare) return `bare ${us(sample.bare)}, ev-sim ${us(sample.evsim)} per round trip`;
  if (sample.mode === 'cpu') return `${us(sample)} per round trip (steady ${us(sample.steady ?? {})}), paced bare ws ${us(sample.pacedFloor ?? {})}`;
  if (sample.mode === 'memory') return `${sample.peakRssKbPerStation.toFixed(1)} KB per station (peak)`;
  return `${sample.connectMs === null ? 'not all accepted' : `${(sample.connectMs / 1000).toFixed(2)} s`} to connect`;
}

function us(sample) {
  return `${sample.usPerRoundTrip?.toFixed(1)} µs`;
}

/** 1. CPU per round trip: bare `ws` vs ev-sim's connection layer, alternating which goes first. */
export async function roundTripSuite({ sockets, calls }, runs, ctx) {
  const samples = { bare: [], evsim: [] };
  const opts = { sockets, calls, deadlineMs: 150_000 };
  const pairs = await collect('round trips', runs, ctx, 30_000, async (i) => {
    const order = i % 2 === 0 ? ['bare', 'evsim'] : ['evsim', 'bare'];
    const pair = {};
    for (const kind of order) pair[kind] = await clientSample(`rt-${kind}.mjs`, opts, opts.deadlineMs + 30_000);
    return pair;
  });
  for (const p of pairs) {
    samples.bare.push(p.bare ?? p);
    samples.evsim.push(p.evsim ?? p);
  }
  return samples;
}

/** One client child (`script` with `opts`) against a fresh ocpp-rpc strict-mode server; adds the server's CPU. */
async function clientSample(script, opts, timeoutMs) {
  const server = await startServer(new URL('rpc-server.mjs', HERE), []);
  try {
    const cpu0 = server.cpuMicros();
    const args = [JSON.stringify({ url: server.url, ...opts })];
    const result = await runChild(new URL(script, HERE), args, { timeoutMs });
    return { ...result, serverCpuUs: server.cpuMicros() - cpu0 };
  } finally {
    await server.stop();
  }
}

/**
 * 2. Fleet CPU per round trip, each run paired with the paced floor: a bare `ws` client making the
 * same MeterValues calls over as many sockets at the fleet's pace (one per connector per sample
 * interval), alternating which goes first.
 */
export async function fleetCpuSuite(name, options, runs, ctx, { minMs, connectors }) {
  const timeoutMs = fleetTimeoutMs(options);
  const intervalMs = (options.sampleIntervalS * 1000) / connectors / (options.timeScale ?? 1);
  const paced = { sockets: options.stations, intervalMs, durationS: options.durationS };
  return collect(name, runs, ctx, minMs, async (i) => {
    const out = {};
    for (const kind of i % 2 === 0 ? ['fleet', 'paced'] : ['paced', 'fleet']) {
      if (kind === 'fleet') Object.assign(out, await fleetSample(options, timeoutMs));
      else out.pacedFloor = await clientSample('rt-bare-paced.mjs', paced, timeoutMs);
    }
    return out;
  });
}

/** 2-4. A fleet run against the embedded CSMS, each sample with a fresh CSMS and fleet process. */
export function fleetSuite(name, options, runs, ctx, { minMs, execArgv = [] }) {
  const timeoutMs = fleetTimeoutMs(options);
  return collect(name, runs, ctx, minMs, () => fleetSample(options, timeoutMs, execArgv));
}

/** How long a fleet run may take: its duration plus connecting, the wind-down and process start-up. */
export function fleetTimeoutMs(options) {
  return (options.durationS + 90) * 1000;
}

/** One fleet process (options as fleet.mjs takes them) against a fresh embedded CSMS. */
export async function fleetSample(options, timeoutMs, execArgv = []) {
  const csmsOptions = { host: '127.0.0.1', port: 0, acceptedIdTags: [BENCH_ID_TAG] };
  const csms = await startServer(CSMS_MAIN, [JSON.stringify(csmsOptions)]);
  try {
    const cpu0 = csms.cpuMicros();
    const args = [JSON.stringify({ ...options, url: csms.url })];
    const result = await runChild(new URL('fleet.mjs', HERE), args, { timeoutMs, execArgv: ['--expose-gc', ...execArgv] });
    return { ...result, csmsCpuUs: csms.cpuMicros() - cpu0 };
  } finally {
    await csms.stop();
  }
}
