/**
 * The misbehaving CSMS's HTTP side, on the same port as its WebSocket:
 *
 * GET /transactions → 200 application/json `{ "transactions": [ { transactionId, chargePointId,
 *   connectorId, idTag, meterStart, meterStop, startTimestamp, stopTimestamp, stopReason, status } ] }`
 *   in the order stored. meterStop, stopTimestamp and stopReason are null while open; a reused id or a
 *   double-stored stop shows as two rows with the same transactionId.
 * Anything else → 404 (405 for a method other than GET or HEAD on /transactions).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { LedgerRow, Truth } from './truth.js';

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
}

/** A copy of each row with exactly the documented fields. */
function ledgerRow(r: LedgerRow): LedgerRow {
  return {
    transactionId: r.transactionId,
    chargePointId: r.chargePointId,
    connectorId: r.connectorId,
    idTag: r.idTag,
    meterStart: r.meterStart,
    meterStop: r.meterStop,
    startTimestamp: r.startTimestamp,
    stopTimestamp: r.stopTimestamp,
    stopReason: r.stopReason,
    status: r.status,
  };
}

export function ledgerListener(truth: Truth): RequestListener {
  return (req, res) => {
    const path = pathOf(req);
    if (path !== '/transactions') {
      sendJson(res, 404, { error: 'not found', path });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'method not allowed', method: req.method });
      return;
    }
    sendJson(res, 200, { transactions: truth.transactions.map(ledgerRow) });
  };
}
