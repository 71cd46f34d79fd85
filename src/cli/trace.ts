import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CallTraceEvent } from '../station/types.js';

const COLUMNS = ['time', 'action', 'connector', 'transactionId', 'context', 'energyWh', 'powerW', 'socPercent', 'currentA', 'voltageV', 'status', 'retry'];

interface Sampled {
  value: string;
  measurand?: string;
  context?: string;
}

/**
 * `ev-sim run --trace <identity>`: every CALL that station sends, one CSV row each, with the meter
 * readings of MeterValues spelled out (current: the highest phase; voltage: the first phase).
 */
export async function createTraceWriter(path: string): Promise<{ write(e: CallTraceEvent): void; close(): Promise<void> }> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path, 'utf8');
  out.write(`${COLUMNS.join(',')}\n`);
  return {
    write: (e) => {
      for (const row of rows(e)) out.write(`${row.map(csv).join(',')}\n`);
    },
    close: () => new Promise((resolve) => out.end(resolve)),
  };
}

function rows(e: CallTraceEvent): unknown[][] {
  const p = (e.payload ?? {}) as Record<string, unknown>;
  const base = (time: string, context = '') => [time, e.action, p.connectorId ?? '', p.transactionId ?? '', context];
  const at = new Date(e.at).toISOString();
  const retry = e.retry ? 'retry' : '';
  const values = (p.meterValue ?? p.transactionData) as { timestamp: string; sampledValue: Sampled[] }[] | undefined;
  if (e.action === 'StatusNotification') return [[...base(at), '', '', '', '', '', p.status, retry]];
  if (!values || values.length === 0) return [[...base(at), p.meterStart ?? p.meterStop ?? '', '', '', '', '', '', retry]];
  return values.map((mv) => {
    const get = (m: string) => mv.sampledValue.filter((s) => (s.measurand ?? 'Energy.Active.Import.Register') === m).map((s) => Number(s.value));
    const first = (m: string) => get(m)[0] ?? '';
    const current = get('Current.Import');
    return [
      ...base(mv.timestamp, mv.sampledValue[0]?.context ?? ''),
      first('Energy.Active.Import.Register'),
      first('Power.Active.Import'),
      first('SoC'),
      current.length ? Math.max(...current) : '',
      first('Voltage'),
      '',
      retry,
    ];
  });
}

function csv(v: unknown): string {
  const s = String(v ?? '');
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
