/**
 * Session counters and per-session statistics in bounded memory: no SessionRecord is kept.
 */
import type { SessionStatsReport } from '../report/types.js';
import type { SessionRecord } from './types.js';
import { createValueStats } from './value-stats.js';

export interface SessionCounts {
  /** Sessions in progress (plugged in, not yet ended). */
  active: number;
  /** Sessions begun (car plugged in). */
  started: number;
  completed: number;
  rejected: number;
  failed: number;
}

export interface SessionTracker {
  plugged(): void;
  ended(record: SessionRecord): void;
  counts(): SessionCounts;
  /** Energy of all ended sessions, Wh. */
  energyWh(): number;
  stats(): SessionStatsReport;
}

const MS_PER_MINUTE = 60_000;
/** Largest per-session energy tracked by the percentiles (1 MWh); the mean and max stay exact. */
const MAX_ENERGY_WH = 1_000_000;
/** Largest per-session duration tracked by the percentiles (60 days, in minutes). */
const MAX_MINUTES = 60 * 24 * 60;

const minutesBetween = (from: number | null, to: number | null): number | null =>
  from === null || to === null ? null : (to - from) / MS_PER_MINUTE;

export function createSessionTracker(): SessionTracker {
  const c: SessionCounts = { active: 0, started: 0, completed: 0, rejected: 0, failed: 0 };
  let totalWh = 0;
  const energy = createValueStats(1, MAX_ENERGY_WH);
  // Second resolution for durations reported in minutes.
  const plugged = createValueStats(1 / 60, MAX_MINUTES);
  const charging = createValueStats(1 / 60, MAX_MINUTES);
  const vehicles = new Map<string, number>();

  function ended(r: SessionRecord): void {
    if (c.active > 0) c.active--;
    c[r.outcome]++;
    const wh = Number.isFinite(r.energyWh) ? r.energyWh : 0;
    totalWh += wh;
    const vehicle = r.vehicle ?? 'unknown';
    vehicles.set(vehicle, (vehicles.get(vehicle) ?? 0) + 1);
    if (r.outcome !== 'completed') return;
    energy.record(wh);
    const pluggedMin = minutesBetween(r.pluggedAt, r.unpluggedAt);
    if (pluggedMin !== null) plugged.record(pluggedMin);
    charging.record(r.chargingMs / MS_PER_MINUTE);
  }

  function stats(): SessionStatsReport {
    const mix: Record<string, number> = {};
    for (const name of [...vehicles.keys()].sort()) mix[name] = vehicles.get(name)!;
    return {
      energyWh: energy.summary(),
      pluggedMinutes: plugged.summary(),
      chargingMinutes: charging.summary(),
      vehicles: mix,
    };
  }

  return {
    plugged: () => {
      c.started++;
      c.active++;
    },
    ended,
    counts: () => ({ ...c }),
    energyWh: () => Math.round(totalWh * 1000) / 1000,
    stats,
  };
}
