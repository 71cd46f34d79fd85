/**
 * Child process: ev-sim's own call path. Each connection is built by `createConnection` from the built
 * connection layer with the options a station passes (default scenario: 30 s call timeout, validation
 * on, 30 s WebSocket ping), reports to the run's metrics collector, and serves the station's actions.
 */
import { createConnection } from '../../dist/ocpp/connection.js';
import { OCPP16_ACTIONS } from '../../dist/ocpp/actions.js';
import { createMetrics } from '../../dist/metrics/collector.js';
import { meterValuesPayload } from './payload.mjs';
import { runRoundTripClient } from './rt-common.mjs';

const observer = createMetrics();

async function open(url, identity) {
  const conn = createConnection({
    identity,
    url,
    password: null,
    callTimeoutMs: 30_000,
    strict: true,
    pingIntervalS: 30,
    observer,
    onOpen: () => observer.connection(identity, 'connected'),
    onDisconnect: () => observer.connection(identity, 'closed'),
    onLateReply: () => undefined,
  });
  conn.serve(OCPP16_ACTIONS, () => ({}));
  await conn.connect();
  return conn;
}

async function call(conn, n) {
  try {
    await conn.call('MeterValues', meterValuesPayload(n));
    return true;
  } catch {
    return false;
  }
}

runRoundTripClient({ open, call, close: (conn) => conn.close() });
