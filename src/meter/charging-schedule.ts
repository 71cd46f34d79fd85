import type { ConnectorConfig } from '../scenario/types.js';
import { AC_NOMINAL_V, DC_NOMINAL_V } from './power.js';

/**
 * OCPP 1.6 charging profiles (SetChargingProfile.req `csChargingProfiles`) and the evaluation of one
 * profile's schedule at a point in simulated time. Stacking and purposes live in charging-profiles.ts.
 *
 * Unit conversion (documented convention): an ampere limit is a per-phase current. For AC it becomes
 * W = A × min(numberPhases ?? 3, connector phases) × 230 V; for DC, W = A × 400 V (DC_NOMINAL_V; the
 * connector config carries no voltage). Back from W: A = W / (230 V × connector phases) for AC and
 * W / 400 V for DC.
 */

export type ChargingProfilePurpose = 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
export type ChargingProfileKind = 'Absolute' | 'Recurring' | 'Relative';
export type ChargingRateUnit = 'A' | 'W';

export interface ChargingSchedulePeriod {
  /** Seconds from the schedule's start. */
  startPeriod: number;
  limit: number;
  numberPhases?: number;
}

export interface ChargingSchedule {
  /** Seconds; absent = the last period lasts until the profile ends (or the next recurrence). */
  duration?: number;
  /** ISO date-time; required for Recurring, absent for Relative (and Absolute → relative to the transaction). */
  startSchedule?: string;
  chargingRateUnit: ChargingRateUnit;
  chargingSchedulePeriod: ChargingSchedulePeriod[];
  minChargingRate?: number;
}

export interface ChargingProfile {
  chargingProfileId: number;
  transactionId?: number;
  stackLevel: number;
  chargingProfilePurpose: ChargingProfilePurpose;
  chargingProfileKind: ChargingProfileKind;
  recurrencyKind?: 'Daily' | 'Weekly';
  validFrom?: string;
  validTo?: string;
  chargingSchedule: ChargingSchedule;
}

/** A profile as installed on a connector, with its times parsed to epoch ms. */
export interface InstalledProfile {
  connectorId: number;
  profile: ChargingProfile;
  validFrom: number | null;
  validTo: number | null;
  /** Epoch ms of the schedule's start; null when it is relative to the transaction start. */
  startAt: number | null;
  durationMs: number | null;
  /** Recurrence period, ms (Daily / Weekly), or null. */
  recurrenceMs: number | null;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface ScheduleLimits {
  maxStackLevel: number;
  maxPeriods: number;
}

/** Checks a profile's own fields and parses its times; returns the reason when it is invalid. */
export function installProfile(
  connectorId: number,
  profile: ChargingProfile,
  limits: ScheduleLimits,
): InstalledProfile | string {
  const { stackLevel, chargingProfileKind: kind, chargingSchedule: schedule } = profile;
  if (!Number.isInteger(stackLevel) || stackLevel < 0 || stackLevel > limits.maxStackLevel) {
    return `stackLevel ${stackLevel} outside 0..${limits.maxStackLevel}`;
  }
  if (schedule.chargingRateUnit !== 'A' && schedule.chargingRateUnit !== 'W') return 'chargingRateUnit must be A or W';
  const periodError = checkPeriods(schedule.chargingSchedulePeriod, limits.maxPeriods);
  if (periodError) return periodError;
  if (schedule.duration !== undefined && !(schedule.duration >= 0)) return 'duration must be >= 0';
  const validFrom = parseTime(profile.validFrom);
  const validTo = parseTime(profile.validTo);
  const start = parseTime(schedule.startSchedule);
  if (Number.isNaN(validFrom) || Number.isNaN(validTo) || Number.isNaN(start)) return 'invalid date-time';
  if (validFrom !== null && validTo !== null && validTo <= validFrom) return 'validTo before validFrom';
  let recurrenceMs: number | null = null;
  if (kind === 'Recurring') {
    if (!profile.recurrencyKind) return 'Recurring profile without recurrencyKind';
    if (start === null) return 'Recurring profile without startSchedule';
    recurrenceMs = profile.recurrencyKind === 'Weekly' ? WEEK_MS : DAY_MS;
  } else if (kind !== 'Absolute' && kind !== 'Relative') {
    return `unknown chargingProfileKind ${String(kind)}`;
  }
  return {
    connectorId,
    profile,
    validFrom,
    validTo,
    startAt: kind === 'Relative' ? null : start,
    durationMs: schedule.duration === undefined ? null : schedule.duration * 1000,
    recurrenceMs,
  };
}

function checkPeriods(periods: ChargingSchedulePeriod[], maxPeriods: number): string | null {
  if (!Array.isArray(periods) || periods.length === 0) return 'no chargingSchedulePeriod';
  if (periods.length > maxPeriods) return `more than ${maxPeriods} periods`;
  if (periods[0].startPeriod !== 0) return 'first period must start at 0';
  for (let i = 0; i < periods.length; i++) {
    const { startPeriod, limit, numberPhases } = periods[i];
    if (i > 0 && !(startPeriod > periods[i - 1].startPeriod)) return 'startPeriod not ascending';
    if (!Number.isFinite(limit) || limit < 0) return `invalid limit ${limit}`;
    if (numberPhases !== undefined && ![1, 2, 3].includes(numberPhases)) return `invalid numberPhases ${numberPhases}`;
  }
  return null;
}

function parseTime(iso: string | undefined): number | null {
  if (iso === undefined) return null;
  return Date.parse(iso);
}

/** Epoch ms at which the schedule cycle containing `at` started, or null when it has no anchor yet. */
function anchorAt(p: InstalledProfile, at: number, txStartedAt: number | null): number | null {
  if (p.startAt === null) return txStartedAt;
  if (p.recurrenceMs === null) return p.startAt;
  if (at < p.startAt) return null;
  return p.startAt + Math.floor((at - p.startAt) / p.recurrenceMs) * p.recurrenceMs;
}

/** The schedule period in force at `at`, or null when the profile does not apply then. */
export function periodAt(
  p: InstalledProfile,
  at: number,
  txStartedAt: number | null,
): ChargingSchedulePeriod | null {
  if (p.validFrom !== null && at < p.validFrom) return null;
  if (p.validTo !== null && at >= p.validTo) return null;
  const anchor = anchorAt(p, at, txStartedAt);
  if (anchor === null) return null;
  const offset = at - anchor;
  if (offset < 0 || (p.durationMs !== null && offset >= p.durationMs)) return null;
  const periods = p.profile.chargingSchedule.chargingSchedulePeriod;
  let found: ChargingSchedulePeriod | null = null;
  for (const period of periods) {
    if (period.startPeriod * 1000 > offset) break;
    found = period;
  }
  return found;
}

/** The first instant after `at` at which this profile's applicable period may change (Infinity: never). */
export function nextBoundary(p: InstalledProfile, at: number, txStartedAt: number | null): number {
  let next = Infinity;
  const consider = (t: number | null) => {
    if (t !== null && t > at && t < next) next = t;
  };
  consider(p.validFrom);
  consider(p.validTo);
  const anchor = anchorAt(p, at, txStartedAt);
  if (anchor === null) {
    if (p.recurrenceMs !== null) consider(p.startAt);
    return next;
  }
  consider(anchor);
  for (const period of p.profile.chargingSchedule.chargingSchedulePeriod) {
    const t = anchor + period.startPeriod * 1000;
    if (t > at) {
      consider(t);
      break;
    }
  }
  if (p.durationMs !== null) consider(anchor + p.durationMs);
  if (p.recurrenceMs !== null) consider(anchor + p.recurrenceMs);
  return next;
}

/** A period's limit in W for this connector. */
export function periodLimitW(
  period: ChargingSchedulePeriod,
  unit: ChargingRateUnit,
  rating: ConnectorConfig,
): number {
  if (unit === 'W') return period.limit;
  if (rating.current === 'DC') return period.limit * DC_NOMINAL_V;
  const phases = Math.min(period.numberPhases ?? 3, rating.phases);
  return period.limit * phases * AC_NOMINAL_V;
}

/** A power in W expressed in `unit` for this connector (per-phase A across all its phases for AC). */
export function wattsIn(watts: number, unit: ChargingRateUnit, rating: ConnectorConfig): number {
  if (unit === 'W') return watts;
  if (rating.current === 'DC') return watts / DC_NOMINAL_V;
  return watts / (AC_NOMINAL_V * rating.phases);
}
