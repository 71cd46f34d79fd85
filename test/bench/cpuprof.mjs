/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per area (an npm
 * package, a directory of ev-sim's built code, Node's internals, GC).
 *
 *   node test/bench/cpuprof.mjs <file.cpuprofile> [top]
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const PSEUDO = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/**
 * Self time (µs) of every profile node id, from the samples and their time deltas; only samples taken
 * within `window` ({ fromUs, toUs } on the profile's clock, which is process.hrtime's) when given.
 */
function selfTimes(profile, window) {
  const self = new Map();
  const { samples, timeDeltas } = profile;
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    const delta = Math.max(0, timeDeltas[i] ?? 0);
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    // timeDeltas[i] is the time since the previous sample: charge it to the function it landed in.
    self.set(samples[i], (self.get(samples[i]) ?? 0) + delta);
  }
  return self;
}

/** Where a script lives: 'ocpp-rpc', 'ev-sim dist/ocpp', 'node internals', '(garbage collector)', ... */
export function areaOf(callFrame) {
  const { url, functionName } = callFrame;
  if (!url) return PSEUDO.has(functionName) ? functionName : '(native: Node bindings incl. syscalls, V8 builtins)';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  const own = url.match(/\/dist\/([^/]+)(\/|\.js)/);
  if (own) return `ev-sim dist/${own[2] === '/' ? own[1] : `${own[1]}.js`}`;
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/test/bench/')) return 'bench harness';
  return url;
}

function functionKey(callFrame) {
  const name = callFrame.functionName || '(anonymous)';
  if (!callFrame.url) return name;
  const url = callFrame.url;
  const file = url.includes('/node_modules/') ? url.replace(/^.*\/node_modules\//, '') : url.replace(/^.*\/dist\//, 'dist/');
  return `${name}  ${file}:${callFrame.lineNumber + 1}`;
}

function addTo(map, key, us) {
  map.set(key, (map.get(key) ?? 0) + us);
}

/** { totalMs, idleMs, busyMs, functions: [{ name, area, ms, share }], areas: [{ area, ms, share }] }, shares of busy time. */
export function summariseProfile(profile, top = 25, window = null) {
  const self = selfTimes(profile, window);
  const byFunction = new Map();
  const byArea = new Map();
  const areaOfKey = new Map();
  let total = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    total += us;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const key = functionKey(node.callFrame);
    areaOfKey.set(key, areaOf(node.callFrame));
    addTo(byFunction, key, us);
    addTo(byArea, areaOf(node.callFrame), us);
  }
  const busy = total - idle;
  const ranked = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total / 1000,
    idleMs: idle / 1000,
    busyMs: busy / 1000,
    functions: ranked(byFunction).slice(0, top).map(([name, us]) => ({ name, area: areaOfKey.get(name), ms: us / 1000, share: us / busy })),
    areas: ranked(byArea).map(([area, us]) => ({ area, ms: us / 1000, share: us / busy })),
  };
}

/** The summary as text: areas first, then the top functions, each with its share of busy time. */
export function renderProfileSummary(s) {
  const pct = (x) => `${(x * 100).toFixed(1).padStart(5)} %`;
  const ms = (x) => `${x.toFixed(0).padStart(7)} ms`;
  return [
    `sampled ${(s.totalMs / 1000).toFixed(1)} s, of which idle ${(s.idleMs / 1000).toFixed(1)} s; shares below are of the ${(s.busyMs / 1000).toFixed(1)} s busy`,
    '',
    'self time by area:',
    ...s.areas.map((a) => `  ${pct(a.share)} ${ms(a.ms)}  ${a.area}`),
    '',
    `top ${s.functions.length} functions by self time:`,
    ...s.functions.map((f) => `  ${pct(f.share)} ${ms(f.ms)}  ${f.name}`),
  ].join('\n');
}

async function main([file, top]) {
  if (!file) throw new Error('usage: node test/bench/cpuprof.mjs <file.cpuprofile> [top]');
  const profile = JSON.parse(await readFile(file, 'utf8'));
  process.stdout.write(`${renderProfileSummary(summariseProfile(profile, Number(top) || 25))}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  });
}
