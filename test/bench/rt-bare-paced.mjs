/**
 * Child process: the paced floor. A bare `ws` client like rt-bare.mjs, but each socket makes its calls
 * on a schedule (one every `intervalMs`, phases spread evenly over the interval) for `durationS`, as a
 * fleet's stations do, instead of as fast as replies come back. Options (argv[2]):
 *   { url, sockets, intervalMs, durationS }
 */
import WebSocket from 'ws';
import { meterValuesPayload } from './payload.mjs';
import { childOptions, sendError, sendResult } from './procs.mjs';
import { cpuMicros } from './stats.mjs';

const CALL = 2;

function open(url, identity) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/${identity}`, ['ocpp1.6']);
    const conn = { ws, nextId: 0, waiting: null, replies: 0, skipped: 0 };
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame[1] === conn.waiting) {
        conn.waiting = null;
        conn.replies++;
      }
    });
    ws.once('open', () => resolve(conn));
    ws.once('error', reject);
  });
}

function tick(conn, n) {
  if (conn.waiting !== null) {
    conn.skipped++;
    return;
  }
  const id = String(++conn.nextId);
  conn.waiting = id;
  conn.ws.send(JSON.stringify([CALL, id, 'MeterValues', meterValuesPayload(n)]));
}

function pace(conn, phaseMs, intervalMs, endAt) {
  return new Promise((resolve) => {
    let n = 0;
    const next = (due) => {
      const wait = Math.max(0, due - performance.now());
      setTimeout(() => {
        if (performance.now() >= endAt) return resolve();
        tick(conn, n++);
        next(due + intervalMs);
      }, wait);
    };
    next(performance.now() + phaseMs);
  });
}

async function main({ url, sockets, intervalMs, durationS }) {
  const conns = await Promise.all(Array.from({ length: sockets }, (_, i) => open(url, `RP-${String(i + 1).padStart(5, '0')}`)));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const endAt = t0 + durationS * 1000;
  await Promise.all(conns.map((c, i) => pace(c, (i * intervalMs) / sockets, intervalMs, endAt)));
  await new Promise((r) => setTimeout(r, 200));
  const cpuUs = cpuMicros(cpu0, process.cpuUsage());
  const roundTrips = conns.reduce((n, c) => n + c.replies, 0);
  const skipped = conns.reduce((n, c) => n + c.skipped, 0);
  for (const c of conns) c.ws.terminate();
  return { cpuUs, wallMs: performance.now() - t0, roundTrips, skipped, usPerRoundTrip: roundTrips > 0 ? cpuUs / roundTrips : null };
}

main(childOptions()).then(sendResult, sendError);
