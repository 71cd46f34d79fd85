/**
 * The shared harness of the round-trip clients: connect S connections, then (and only then) measure
 * the client process's CPU while each connection makes C sequential calls.
 */
import { cpuMicros } from './stats.mjs';
import { childOptions, sendError, sendResult } from './procs.mjs';

/**
 * `client.open(url, identity)` resolves to a connection; `client.call(conn, n)` makes call number n
 * and resolves true (CALLRESULT) or false (any failure); `client.close(conn)` closes it.
 * Options (argv[2]): { url, sockets, calls, deadlineMs }.
 */
export function runRoundTripClient(client) {
  measure(client, childOptions()).then(sendResult, sendError);
}

async function measure(client, { url, sockets, calls, deadlineMs }) {
  const deadline = setTimeout(() => sendError(new Error(`calls not done within ${deadlineMs / 1000} s`)), deadlineMs);
  const conns = await Promise.all(Array.from({ length: sockets }, (_, i) => client.open(url, `RT-${String(i + 1).padStart(5, '0')}`)));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const failures = await Promise.all(conns.map((conn) => callSequentially(client, conn, calls)));
  const cpuUs = cpuMicros(cpu0, process.cpuUsage());
  const wallMs = performance.now() - t0;
  clearTimeout(deadline);
  const failed = failures.reduce((a, b) => a + b, 0);
  await Promise.all(conns.map((conn) => client.close(conn)));
  const roundTrips = sockets * calls - failed;
  return { cpuUs, wallMs, roundTrips, failed, usPerRoundTrip: roundTrips > 0 ? cpuUs / roundTrips : null };
}

async function callSequentially(client, conn, calls) {
  let failed = 0;
  for (let n = 0; n < calls; n++) if (!(await client.call(conn, n))) failed++;
  return failed;
}
