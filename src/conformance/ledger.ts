/**
 * The CSMS's own record of transactions, when the user points the suite at one (`--ledger <url>`):
 * the JSON shape and field names of ev-sim's embedded CSMS (GET /transactions), read through the
 * reconcile module's ledger source. Cases use it to see what the CSMS stored, not just what it replied.
 */
import { fetchCsmsLedger, type CsmsTransaction } from '../reconcile/csms-source.js';
import type { LedgerSourceConfig } from '../scenario/types.js';
import { DEFAULTS } from '../scenario/defaults.js';
import { failCase } from './halt.js';

export type LedgerRow = CsmsTransaction;

export interface LedgerReader {
  readonly url: string;
  /** Every row the CSMS holds for this station identity; a failed read fails the case. */
  rowsFor(identity: string): Promise<LedgerRow[]>;
}

export function ledgerReader(url: string, timeoutMs: number): LedgerReader {
  const config: LedgerSourceConfig = { url, itemsPath: DEFAULTS.ledger.itemsPath, fields: { ...DEFAULTS.ledger.fields } };
  return {
    url,
    rowsFor: async (identity) => {
      try {
        const ledger = await fetchCsmsLedger(config, { timeoutMs });
        return ledger.transactions.filter((t) => t.chargePointId === identity);
      } catch (err) {
        return failCase(`could not read the CSMS ledger: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

/** Rows still open (no meterStop and no stopTimestamp). */
export function openRows(rows: readonly LedgerRow[]): LedgerRow[] {
  return rows.filter((r) => r.meterStop === null && r.stopTimestamp === null);
}

/** One line per row for the evidence. */
export function describeRows(rows: readonly LedgerRow[]): string {
  if (rows.length === 0) return 'no rows';
  return rows
    .map((r) => `#${r.transactionId} connector ${r.connectorId ?? '?'} start ${r.startTimestamp ?? '?'} stop ${r.stopTimestamp ?? 'open'} meter ${r.meterStart ?? '?'}→${r.meterStop ?? '?'}`)
    .join('; ');
}

const SETTLE_TRIES = 10;
const SETTLE_PAUSE_MS = 100;

/**
 * The station's rows once `settled(rows)` holds, or the last read after about a second: a CSMS may
 * write its ledger a moment after it replied.
 */
export async function settledRows(
  reader: LedgerReader,
  identity: string,
  settled: (rows: LedgerRow[]) => boolean,
  sleep: (ms: number) => Promise<void>,
): Promise<LedgerRow[]> {
  let rows = await reader.rowsFor(identity);
  for (let i = 1; i < SETTLE_TRIES && !settled(rows); i++) {
    await sleep(SETTLE_PAUSE_MS);
    rows = await reader.rowsFor(identity);
  }
  return rows;
}
