/**
 * Ledger questions several cases ask: is this transaction stored exactly once, closed, with the meter
 * readings and timestamps the station sent (however late it sent them)?
 */
import type { CaseContext } from './context.js';
import { describeRows, settledRows, type LedgerRow } from './ledger.js';

/** What the station sent for one transaction; absent fields are not compared. */
export interface ExpectedRow {
  transactionId: number;
  meterStart?: number;
  meterStop?: number;
  /** Epoch ms. */
  startAt?: number;
  stopAt?: number;
}

/** Timestamps may be rounded or re-serialised by the CSMS. */
const TIME_TOLERANCE_MS = 1000;

function timeMismatch(field: string, stored: string | null, expected: number | undefined): string | null {
  if (expected === undefined) return null;
  const at = stored === null ? NaN : Date.parse(stored);
  if (Number.isNaN(at) || Math.abs(at - expected) > TIME_TOLERANCE_MS) {
    return `${field} stored as ${stored ?? 'null'}, sent ${new Date(expected).toISOString()}`;
  }
  return null;
}

function rowMismatch(row: LedgerRow, want: ExpectedRow): string | null {
  if (want.meterStop !== undefined && row.meterStop === null) return 'the transaction is still open';
  if (want.meterStart !== undefined && row.meterStart !== want.meterStart) return `meterStart stored as ${row.meterStart}, sent ${want.meterStart}`;
  if (want.meterStop !== undefined && row.meterStop !== want.meterStop) return `meterStop stored as ${row.meterStop}, sent ${want.meterStop}`;
  return timeMismatch('startTimestamp', row.startTimestamp, want.startAt) ?? timeMismatch('stopTimestamp', row.stopTimestamp, want.stopAt);
}

/**
 * Null when the ledger holds the transaction exactly once with the values sent (or there is no
 * ledger); otherwise what is wrong. Notes the rows in the evidence.
 */
export async function storedOnceProblem(ctx: CaseContext, identity: string, want: ExpectedRow): Promise<string | null> {
  const ledger = ctx.shared.ledger;
  if (!ledger) return null;
  const mine = (rows: LedgerRow[]) => rows.filter((r) => r.transactionId === want.transactionId);
  const closed = (rows: LedgerRow[]) => want.meterStop === undefined || mine(rows).some((r) => r.meterStop !== null);
  const rows = mine(await settledRows(ledger, identity, (all) => mine(all).length > 0 && closed(all), (ms) => ctx.sleep(ms)));
  ctx.note(`ledger rows for transactionId ${want.transactionId}: ${describeRows(rows)}`);
  if (rows.length === 0) return `the CSMS ledger has no row for transactionId ${want.transactionId}`;
  if (rows.length > 1) return `the CSMS ledger holds transactionId ${want.transactionId} ${rows.length} times`;
  const mismatch = rowMismatch(rows[0], want);
  return mismatch ? `ledger row of transactionId ${want.transactionId}: ${mismatch}` : null;
}

/** A note for pass reasons: what the ledger confirmed, if there is one. */
export function ledgerSuffix(ctx: CaseContext): string {
  return ctx.shared.ledger ? '; the ledger holds it once with the values sent' : '';
}
