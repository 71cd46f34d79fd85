/**
 * Child process: the floor. A bare `ws` client writing OCPP-J CALL frames by hand and matching
 * CALLRESULTs by message id; no validation, no timers per call.
 */
import WebSocket from 'ws';
import { meterValuesPayload } from './payload.mjs';
import { runRoundTripClient } from './rt-common.mjs';

const CALL = 2;
const CALLRESULT = 3;

function open(url, identity) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/${identity}`, ['ocpp1.6']);
    const conn = { ws, nextId: 0, pending: new Map() };
    ws.on('message', (data) => onFrame(conn, data));
    ws.once('open', () => resolve(conn));
    ws.once('error', reject);
  });
}

function onFrame(conn, data) {
  const frame = JSON.parse(data.toString());
  const settle = conn.pending.get(frame[1]);
  if (!settle) return;
  conn.pending.delete(frame[1]);
  settle(frame[0] === CALLRESULT);
}

function call(conn, n) {
  const id = String(++conn.nextId);
  return new Promise((resolve) => {
    conn.pending.set(id, resolve);
    conn.ws.send(JSON.stringify([CALL, id, 'MeterValues', meterValuesPayload(n)]));
  });
}

function close(conn) {
  return new Promise((resolve) => {
    conn.ws.once('close', resolve);
    conn.ws.close(1000);
  });
}

runRoundTripClient({ open, call, close });
