/** Turns the samples into figures (medians of the runs), a table for the terminal and a JSON file. */
import { mkdir, writeFile } from 'node:fs/promises';
import { fmt, median, range, ratio } from './stats.mjs';

/** Median, range and count of `pick(sample)` over the samples that did not fail. */
function stat(samples, pick) {
  const ok = (samples ?? []).filter((s) => !s.error);
  const xs = ok.map(pick).filter((x) => typeof x === 'number' && Number.isFinite(x));
  const r = range(xs);
  return { median: median(xs), min: r?.[0] ?? null, max: r?.[1] ?? null, runs: xs.length, of: (samples ?? []).length };
}

function sum(samples, pick) {
  return (samples ?? []).filter((s) => !s.error).reduce((n, s) => n + (pick(s) ?? 0), 0);
}

function errorsOf(samples) {
  return (samples ?? []).filter((s) => s.error).map((s) => s.error.split('\n')[0]);
}

export function summarise(raw) {
  const out = {};
  const rt = raw.roundTrip;
  if (rt) {
    const bare = stat(rt.bare, (s) => s.usPerRoundTrip);
    const evsim = stat(rt.evsim, (s) => s.usPerRoundTrip);
    out.roundTrip = {
      bareUs: bare,
      evsimUs: evsim,
      ratio: ratio(evsim.median, bare.median),
      serverUsBare: stat(rt.bare, (s) => s.serverCpuUs / s.roundTrips),
      serverUsEvsim: stat(rt.evsim, (s) => s.serverCpuUs / s.roundTrips),
      failedCalls: sum(rt.bare, (s) => s.failed) + sum(rt.evsim, (s) => s.failed),
      errors: [...errorsOf(rt.bare), ...errorsOf(rt.evsim)],
    };
  }
  const bareUs = out.roundTrip?.bareUs.median ?? null;
  if (raw.fleetCpu) out.fleetCpu = fleetCpuFigures(raw.fleetCpu, bareUs);
  if (raw.fleetCpuHigh) out.fleetCpuHigh = fleetCpuFigures(raw.fleetCpuHigh, bareUs);
  if (raw.memory) out.memory = memoryFigures(raw.memory);
  if (raw.connect) out.connect = connectFigures(raw.connect);
  return out;
}

/**
 * Two floors: the burst client of measurement 1 (calls back to back: many messages per wake-up, the
 * cheapest a round trip gets) and the paced client run beside each fleet run (the same calls at the
 * fleet's pace: a wake-up per message, as any scheduled load pays). Ratios are of medians.
 */
function fleetCpuFigures(samples, bareUs) {
  const whole = stat(samples, (s) => s.usPerRoundTrip);
  const steady = stat(samples, (s) => s.steady?.usPerRoundTrip);
  const paced = stat(samples, (s) => s.pacedFloor?.usPerRoundTrip);
  return {
    usPerRoundTrip: whole,
    steadyUsPerRoundTrip: steady,
    ratio: ratio(whole.median, bareUs),
    steadyRatio: ratio(steady.median, bareUs),
    pacedBareUs: paced,
    pacedRatio: ratio(whole.median, paced.median),
    pacedSteadyRatio: ratio(steady.median, paced.median),
    pacedSkippedCalls: sum(samples, (s) => s.pacedFloor?.skipped),
    pacedServerUsPerRoundTrip: stat(samples, (s) => (s.pacedFloor ? s.pacedFloor.serverCpuUs / s.pacedFloor.roundTrips : null)),
    roundTrips: stat(samples, (s) => s.roundTrips),
    steadyRoundTripsPerS: stat(samples, (s) => s.steady?.roundTripsPerS),
    csmsUsPerRoundTrip: stat(samples, (s) => s.csmsCpuUs / s.roundTrips),
    callErrors: sum(samples, (s) => s.messages.errors),
    errors: errorsOf(samples),
  };
}

function memoryFigures(samples) {
  const mb = (bytes) => bytes / 2 ** 20;
  return {
    peakKbPerStation: stat(samples, (s) => s.peakRssKbPerStation),
    heldKbPerStation: stat(samples, (s) => s.heldRssKbPerStation),
    heldHeapKbPerStation: stat(samples, (s) => s.heldHeapKbPerStation),
    baselineMb: stat(samples, (s) => mb(s.baselineRss)),
    peakMb: stat(samples, (s) => mb(s.peakRss)),
    peakHeapUsedMb: stat(samples, (s) => mb(s.peakHeapUsed)),
    sessionsActiveAtHold: stat(samples, (s) => s.sessionsAtHold?.active),
    accepted: stat(samples, (s) => s.accepted),
    callErrors: sum(samples, (s) => s.messages.errors),
    errors: errorsOf(samples),
  };
}

function connectFigures(samples) {
  return {
    connectS: stat(samples, (s) => (s.connectMs === null ? null : s.connectMs / 1000)),
    buildS: stat(samples, (s) => (s.buildMs === null ? null : s.buildMs / 1000)),
    fleetCpuShare: stat(samples, (s) => s.connectCpuShare),
    accepted: stat(samples, (s) => s.accepted),
    callErrors: sum(samples, (s) => s.messages.errors),
    errors: errorsOf(samples),
  };
}

/** The terminal table: one row per figure, median then min-max over the runs. */
export function renderTable(machine, config, figures) {
  const rows = [...roundTripRows(config, figures), ...fleetRows(config, figures)];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : (c ?? '').padStart(widths[i]))).join('   ');
  const header = ['measurement', 'median', 'min-max', 'runs'];
  const ram = `${(machine.ramBytes / 2 ** 30).toFixed(1)} GiB RAM`;
  return [
    `ev-sim bench (${config.label}): median of the runs`,
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${ram}, Node ${machine.node}, ${machine.os}, ${machine.date}`,
    `limits:  open files ${machine.openFiles.soft} per process (the fleet and the CSMS each hold one per station), ${machine.ephemeralPorts} local ports`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    ...notes(figures),
  ].join('\n');
}

function cells(label, s, unit, digits = 1) {
  if (!s) return [label, '-', '-', '-'];
  const min = fmt(s.min, digits);
  return [label, `${fmt(s.median, digits)} ${unit}`, s.runs > 0 ? `${min}-${fmt(s.max, digits)}` : '-', `${s.runs}/${s.of}`];
}

function times(x) {
  return x === null ? '-' : `${x.toFixed(2)}x`;
}

function roundTripRows(config, f) {
  const rt = f.roundTrip;
  if (!rt) return [];
  const size = `${config.roundTrip.sockets} sockets x ${config.roundTrip.calls} calls`;
  return [
    cells(`1. CPU per round trip, bare ws (${size})`, rt.bareUs, 'µs'),
    cells('   CPU per round trip, ev-sim connection layer', rt.evsimUs, 'µs'),
    ['   ratio ev-sim / bare', times(rt.ratio), '', ''],
  ];
}

function fleetRows(config, f) {
  const rows = [];
  if (f.fleetCpu) rows.push(...fleetCpuRows('2.', config.fleetCpu, f.fleetCpu));
  if (f.fleetCpuHigh) rows.push(...fleetCpuRows('2b.', config.fleetCpuHigh, f.fleetCpuHigh));
  const m = f.memory;
  if (m) {
    const mc = config.memory;
    rows.push(
      cells(`3. peak RSS per station above baseline (${mc.stations} stations, sessions, ${mc.sampleIntervalS} s samples)`, m.peakKbPerStation, 'KB'),
      cells('   RSS per station after GC, end of the hold', m.heldKbPerStation, 'KB'),
      cells('   live JS heap per station after GC, end of the hold', m.heldHeapKbPerStation, 'KB'),
      cells('   baseline RSS (after GC, before stations)', m.baselineMb, 'MB', 0),
      cells('   peak RSS', m.peakMb, 'MB', 0),
    );
  }
  const k = f.connect;
  if (k) rows.push(cells(`4. connect ${config.connect.stations} stations, first connect -> all Accepted`, k.connectS, 's', 2));
  return rows;
}

function fleetCpuRows(label, fc, c) {
  const scale = fc.timeScale ? `, time x${fc.timeScale}` : '';
  return [
    cells(`${label} fleet CPU per round trip, whole run (${fc.stations} stations, ${fc.durationS} s, ${fc.sampleIntervalS} s samples${scale})`, c.usPerRoundTrip, 'µs'),
    cells(`   steady state only (~${fmt(c.steadyRoundTripsPerS.median)} round trips/s)`, c.steadyUsPerRoundTrip, 'µs'),
    cells(`   paced bare ws: same calls, same pace, ${fc.stations} sockets`, c.pacedBareUs, 'µs'),
    ['   ratio fleet / paced bare ws (whole run; steady state)', `${times(c.pacedRatio)}; ${times(c.pacedSteadyRatio)}`, '', ''],
    ['   ratio fleet / burst bare ws of 1. (whole run; steady)', `${times(c.ratio)}; ${times(c.steadyRatio)}`, '', ''],
  ];
}

function notes(f) {
  const out = [];
  if (f.roundTrip) {
    const rt = f.roundTrip;
    out.push(`server (ocpp-rpc strict) CPU per round trip: ${fmt(rt.serverUsBare.median)} µs serving bare ws, ${fmt(rt.serverUsEvsim.median)} µs serving ev-sim; failed calls: ${rt.failedCalls}`);
  }
  for (const [label, c] of [['2.', f.fleetCpu], ['2b.', f.fleetCpuHigh]]) {
    if (!c) continue;
    out.push(`${label} embedded CSMS CPU per fleet round trip: ${fmt(c.csmsUsPerRoundTrip.median)} µs; ocpp-rpc server per paced bare round trip: ${fmt(c.pacedServerUsPerRoundTrip.median)} µs; fleet call errors: ${c.callErrors}; paced calls skipped (reply late): ${c.pacedSkippedCalls}`);
  }
  if (f.memory) out.push(`memory runs: ${fmt(f.memory.sessionsActiveAtHold.median)} sessions charging at the end of the hold; heap used peaked at ${fmt(f.memory.peakHeapUsedMb.median)} MB (read every 2 s); call errors: ${f.memory.callErrors}`);
  if (f.connect) {
    const k = f.connect;
    const busy = k.fleetCpuShare.median === null ? '-' : `${(k.fleetCpuShare.median * 100).toFixed(0)} %`;
    out.push(`connect runs: fleet built in ${fmt(k.buildS.median, 2)} s before the first connect; fleet process CPU ${busy} of one core until the last Accepted; call errors until then: ${k.callErrors}`);
  }
  for (const [name, v] of Object.entries(f)) for (const e of v.errors ?? []) out.push(`FAILED run (${name}): ${e}`);
  return out;
}

/** Writes the whole result as JSON under `dir`; returns the path. */
export async function writeJson(dir, date, body) {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
  const path = `${dir}/bench-${stamp}.json`;
  await mkdir(dir, { recursive: true });
  await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
}
