/**
 * Where the fleet's CPU goes: one fleet run under `node --cpu-prof` against the embedded CSMS in
 * another process, then its self time per area and per function, counting only the samples taken
 * while `runScenario` ran (connect mode: until the last BootNotification was Accepted). The profile and a JSON summary land in reports/profiles/.
 *
 *   node test/bench/profile.mjs [--mode cpu|connect] [--stations N] [--seconds S] [--top 25]
 *
 * cpu (default): measurement 2's run (500 stations, sessions, 1 s samples, 20 s).
 * connect: measurement 4's run (5,000 stations, ramp-up unlimited, ends once all are Accepted).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fleetSample, fleetTimeoutMs } from './suites.mjs';
import { renderProfileSummary, summariseProfile } from './cpuprof.mjs';

const MODES = {
  cpu: { mode: 'cpu', sessions: true, rampPerSecond: 1_000_000, holdS: 0, stations: 500, durationS: 20, sampleIntervalS: 1, warmupS: 3 },
  connect: { mode: 'connect', sessions: false, rampPerSecond: 1_000_000, holdS: 0, stations: 5000, durationS: 120, sampleIntervalS: 60, warmupS: 0 },
};

function fleetOptions() {
  const { values } = parseArgs({
    options: { mode: { type: 'string', default: 'cpu' }, stations: { type: 'string' }, seconds: { type: 'string' }, top: { type: 'string', default: '25' } },
  });
  const base = MODES[values.mode];
  if (!base) throw new Error(`--mode must be one of ${Object.keys(MODES).join(', ')}`);
  const options = { ...base };
  if (values.stations !== undefined) options.stations = Number(values.stations);
  if (values.seconds !== undefined) options.durationS = Number(values.seconds);
  return { options, top: Number(values.top) || 25 };
}

async function main() {
  const { options, top } = fleetOptions();
  const dir = 'reports/profiles';
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
  const name = `fleet-${options.mode}-${stamp}.cpuprofile`;
  process.stderr.write(`profiling a fleet of ${options.stations} stations (${options.mode}) ...\n`);
  const profiler = ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`];
  const result = await fleetSample(options, fleetTimeoutMs(options), profiler);
  const profile = JSON.parse(await readFile(`${dir}/${name}`, 'utf8'));
  // Only the samples taken while runScenario ran (connect: until the last Accepted), not start-up or exit.
  const window = options.mode === 'connect' ? result.connectWindowUs : result.runWindowUs;
  const summary = summariseProfile(profile, top, window);
  await writeFile(`${dir}/${name.replace('.cpuprofile', '.summary.json')}`, `${JSON.stringify({ options, result, summary }, null, 2)}\n`);
  const connect = result.connectMs === null ? '' : `, all accepted ${(result.connectMs / 1000).toFixed(2)} s after the first connect`;
  process.stdout.write(`fleet: ${result.roundTrips} round trips, ${result.usPerRoundTrip?.toFixed(1)} µs CPU each${connect} (under the profiler)\n`);
  process.stdout.write(`profile: ${dir}/${name}\n\n${renderProfileSummary(summary)}\n`);
}

main().catch((err) => {
  process.stderr.write(`profile failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
