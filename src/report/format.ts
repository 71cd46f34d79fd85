/**
 * Number, duration and energy formatting for the terminal summary (locale-independent).
 */

/** Integer with thousands separators: 1234567 → "1,234,567". */
export function fmtInt(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Latency in ms with precision that shrinks as the value grows: 0.42, 12.3, 1534. */
export function fmtMs(ms: number): string {
  if (ms < 10) return ms.toFixed(2);
  if (ms < 1000) return ms.toFixed(1);
  return String(Math.round(ms));
}

/** Energy: 850 Wh, 12.3 kWh, 4.56 MWh. */
export function fmtEnergy(wh: number): string {
  if (Math.abs(wh) < 1000) return `${Math.round(wh)} Wh`;
  if (Math.abs(wh) < 1_000_000) return `${(wh / 1000).toFixed(1)} kWh`;
  return `${(wh / 1_000_000).toFixed(2)} MWh`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** Duration: 850ms, 4.2s, 2m 05s, 1h 02m 03s, 3d 04h 05m. */
export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalS = Math.round(ms / 1000);
  const s = totalS % 60;
  const m = Math.floor(totalS / 60) % 60;
  const h = Math.floor(totalS / 3600) % 24;
  const d = Math.floor(totalS / 86_400);
  if (d > 0) return `${d}d ${two(h)}h ${two(m)}m`;
  if (h > 0) return `${h}h ${two(m)}m ${two(s)}s`;
  return `${m}m ${two(s)}s`;
}

/** Minutes as a duration: 42m, 5h 48m. */
export function fmtMinutes(minutes: number): string {
  const total = Math.round(minutes);
  if (total < 60) return `${total}m`;
  return `${Math.floor(total / 60)}h ${two(total % 60)}m`;
}

/** Time-scale factor: 1 → "x1 (real time)", 60 → "x60". */
export function fmtTimeScale(scale: number): string {
  return scale === 1 ? 'x1 (real time)' : `x${Number(scale.toFixed(3))}`;
}
