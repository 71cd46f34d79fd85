/**
 * HTTP endpoints of the embedded CSMS, served on the same port as the OCPP WebSocket.
 *
 * GET /health        → 200 text/plain `ok`
 *
 * GET /transactions  → 200 application/json, every transaction in transactionId order:
 *   { "transactions": [ {
 *       "transactionId": 1,                  // unique across the CSMS, 1, 2, 3, ...
 *       "chargePointId": "EVSIM-0001",       // station identity
 *       "connectorId": 1,
 *       "idTag": "TAG-1",
 *       "meterStart": 1000,                  // Wh, from StartTransaction
 *       "meterStop": 5000,                   // Wh, from the first StopTransaction; null while open
 *       "startTimestamp": "2025-01-01T10:00:00.000Z",   // as the station sent it
 *       "stopTimestamp": "2025-01-01T11:00:00.000Z",    // null while open
 *       "stopReason": "Local",               // null while open; 'Local' when the station omitted it
 *       "status": "Accepted",                // idTagInfo status of the StartTransaction reply:
 *                                            //   "Accepted" | "Invalid" | "Blocked"
 *       "meterValuesCount": 12,              // MeterValues messages carrying this transactionId
 *       "lastMeterWh": 4950,                 // last Energy.Active.Import.Register in them; null if none
 *       "stopCount": 1,                      // StopTransactions received; > 1 = duplicate stops
 *       "startCount": 1,                     // StartTransactions mapped here; > 1 = resent start
 *       "implicitStop": false                // closed by the connector's next start, no StopTransaction yet
 *   } ] }
 *   A StartTransaction identical to the previous one on the same connector (same idTag, meterStart and
 *   timestamp) is treated as a resend and gets the same transactionId back.
 *
 * GET /stats         → 200 application/json:
 *   { "connected": 10,             // station connections open now
 *     "boots": 10,                 // BootNotifications answered Accepted
 *     "transactions": 42,          // transactions recorded (any status)
 *     "openTransactions": 3,       // Accepted transactions not yet stopped
 *     "schemaViolations": 0,       // station messages that failed OCA schema validation (strict mode)
 *                                  //   or OCPP-J framing (ocpp-rpc 'badMessage')
 *     "messages": { "BootNotification": 10, "Heartbeat": 55, ... },   // CALLs received per action
 *     "messagesBeforeAccepted": 0, // CALLs other than BootNotification from a station not (yet) Accepted
 *     "orphanMeterValues": 0,      // MeterValues without transactionId, with -1 or an unknown id
 *     "orphanStops": 0,            // StopTransactions with -1 or an unknown id
 *     "duplicateStarts": 0,        // StartTransactions recognised as resends
 *     "duplicateStops": 0,         // StopTransactions after the first for a transaction
 *     "implicitStops": 0 }         // open transactions closed because their connector started another
 *
 * Anything else → 404 application/json `{ "error": "not found", "method": "...", "path": "..." }`.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { CsmsStore } from './store.js';

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** The request listener for the CSMS's HTTP server (WebSocket upgrades are handled separately). */
export function createHttpHandler(store: CsmsStore): RequestListener {
  return (req, res) => {
    const path = pathOf(req);
    if (req.method === 'GET') {
      if (path === '/health') return send(res, 200, 'text/plain; charset=utf-8', 'ok');
      if (path === '/transactions') return sendJson(res, 200, { transactions: store.transactions() });
      if (path === '/stats') return sendJson(res, 200, store.stats());
    }
    sendJson(res, 404, { error: 'not found', method: req.method ?? '', path });
  };
}
