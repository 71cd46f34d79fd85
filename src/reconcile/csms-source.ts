/**
 * Reads a CSMS's own transaction records over HTTP (`LedgerSourceConfig`): GET the URL, find the array
 * at `itemsPath`, map each record's fields by the configured names into a `CsmsTransaction`. Every way
 * this can go wrong ends in a `CsmsSourceError` saying what and where.
 */
import type { LedgerSourceConfig } from '../scenario/types.js';

/** One CSMS transaction record, normalised. */
export interface CsmsTransaction {
  transactionId: number;
  chargePointId: string;
  connectorId: number | null;
  idTag: string | null;
  /** Wh. */
  meterStart: number | null;
  /** Wh; null while the CSMS holds the transaction open. */
  meterStop: number | null;
  startTimestamp: string | null;
  stopTimestamp: string | null;
}

export interface CsmsLedger {
  /** Where the records came from (the URL). */
  source: string;
  transactions: CsmsTransaction[];
}

export class CsmsSourceError extends Error {
  override readonly name = 'CsmsSourceError';
}

export interface FetchLedgerOptions {
  /** URL to use when the config has none (e.g. the embedded CSMS's /transactions). */
  url?: string;
  /** Wall ms before giving up; default 10,000. */
  timeoutMs?: number;
  /** Extra request headers (e.g. Authorization). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export async function fetchCsmsLedger(config: LedgerSourceConfig, opts: FetchLedgerOptions = {}): Promise<CsmsLedger> {
  const url = config.url ?? opts.url;
  if (url === undefined) throw new CsmsSourceError('CSMS ledger: no URL configured (ledger.url) and none given');
  const body = await getJson(url, opts);
  return { source: url, transactions: normaliseCsmsRecords(body, config, url) };
}

function describeFailure(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'did not answer in time';
  const cause = e?.cause?.message ?? e?.cause?.code;
  return cause ? `${e?.message ?? 'request failed'} (${cause})` : String(e?.message ?? err);
}

async function getJson(url: string, opts: FetchLedgerOptions): Promise<unknown> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let text: string;
  let status: number;
  try {
    const res = await fetch(url, { headers: { Accept: 'application/json', ...opts.headers }, signal });
    status = res.status;
    text = await res.text();
  } catch (err) {
    const why = timeout.aborted ? `did not answer within ${timeoutMs} ms` : describeFailure(err);
    throw new CsmsSourceError(`CSMS ledger ${url} is unreachable: ${why}`, { cause: err });
  }
  if (status < 200 || status > 299) throw new CsmsSourceError(`CSMS ledger ${url} answered HTTP ${status}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const start = text.slice(0, 40).replace(/\s+/g, ' ');
    throw new CsmsSourceError(`CSMS ledger ${url} did not return JSON (body starts "${start}")`, { cause: err });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a dotted path ("" = the value itself); a key that contains dots literally wins. */
export function valueAt(value: unknown, path: string): unknown {
  if (path === '') return value;
  if (isObject(value) && path in value) return value[path];
  let current = value;
  for (const key of path.split('.')) {
    if (!isObject(current) || !(key in current)) return undefined;
    current = current[key];
  }
  return current;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (isObject(v)) return `an object with keys ${Object.keys(v).slice(0, 8).join(', ') || '(none)'}`;
  return v === undefined ? 'nothing' : `${typeof v} ${JSON.stringify(v)}`.slice(0, 60);
}

/** The records of a parsed response body, mapped by the config's field names. */
export function normaliseCsmsRecords(body: unknown, config: LedgerSourceConfig, source = 'CSMS ledger'): CsmsTransaction[] {
  const items = valueAt(body, config.itemsPath);
  if (!Array.isArray(items)) {
    const where = config.itemsPath === '' ? 'the body' : `"${config.itemsPath}"`;
    throw new CsmsSourceError(`${source}: expected an array of transactions at ${where}, found ${describe(items)}`);
  }
  return items.map((row, i) => normaliseRow(row, i, config, source));
}

const toNumber = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};
const toText = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

function normaliseRow(row: unknown, i: number, config: LedgerSourceConfig, source: string): CsmsTransaction {
  const f = config.fields;
  if (!isObject(row)) throw new CsmsSourceError(`${source}: transaction ${i} is ${describe(row)}, not an object`);
  const transactionId = toNumber(valueAt(row, f.transactionId));
  if (transactionId === null) throw new CsmsSourceError(`${source}: transaction ${i} has no numeric "${f.transactionId}" (the transactionId field)`);
  const chargePointId = toText(valueAt(row, f.chargePointId));
  if (chargePointId === null) throw new CsmsSourceError(`${source}: transaction ${i} has no "${f.chargePointId}" (the chargePointId field)`);
  return {
    transactionId,
    chargePointId,
    connectorId: toNumber(valueAt(row, f.connectorId)),
    idTag: toText(valueAt(row, f.idTag)),
    meterStart: toNumber(valueAt(row, f.meterStart)),
    meterStop: toNumber(valueAt(row, f.meterStop)),
    startTimestamp: toText(valueAt(row, f.startTimestamp)),
    stopTimestamp: toText(valueAt(row, f.stopTimestamp)),
  };
}
