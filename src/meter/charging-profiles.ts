import type { ConnectorConfig } from '../scenario/types.js';
import { isoTime } from '../util/clock.js';
import type {
  ChargingProfile,
  ChargingProfilePurpose,
  ChargingRateUnit,
  ChargingSchedulePeriod,
  InstalledProfile,
} from './charging-schedule.js';
import { installProfile, nextBoundary, periodAt, periodLimitW, wattsIn } from './charging-schedule.js';

/**
 * OCPP 1.6 Smart Charging for one charge point: the installed profiles and the limit they impose.
 *
 * Effective limit on a connector at time t:
 *   - within a purpose, the highest stackLevel whose schedule has a period at t wins (when its duration
 *     has run out, the next lower stack level applies);
 *   - TxProfile (on the connector, only during a transaction) overrides TxDefaultProfile; a
 *     TxDefaultProfile installed on the connector overrides one installed on connector 0;
 *   - ChargePointMaxProfile (connector 0) caps the result. It is applied to each connector on its own
 *     (simplification: the charge point's total is not shared out between connectors).
 * Unit conversion: see charging-schedule.ts.
 */

export interface ChargingProfileStoreOptions {
  /** Number of connectors (ids 1..connectorCount); connector 0 is the charge point. */
  connectorCount: number;
  /** Whether a transaction runs on the connector (and, when given, has this id). Needed for TxProfile. */
  hasTransaction(connectorId: number, transactionId?: number): boolean;
  /** ChargeProfileMaxStackLevel. */
  maxStackLevel?: number;
  /** ChargingScheduleMaxPeriods. */
  maxPeriods?: number;
  /** MaxChargingProfilesInstalled. */
  maxProfiles?: number;
}

export const DEFAULT_MAX_STACK_LEVEL = 10;
export const DEFAULT_MAX_PERIODS = 24;
export const DEFAULT_MAX_PROFILES = 20;

export interface ClearCriteria {
  id?: number;
  connectorId?: number;
  chargingProfilePurpose?: ChargingProfilePurpose;
  stackLevel?: number;
}

/** GetCompositeSchedule.conf payload. */
export interface CompositeScheduleResult {
  status: 'Accepted' | 'Rejected';
  connectorId?: number;
  scheduleStart?: string;
  chargingSchedule?: {
    duration: number;
    startSchedule: string;
    chargingRateUnit: ChargingRateUnit;
    chargingSchedulePeriod: ChargingSchedulePeriod[];
  };
}

export class ChargingProfileStore {
  private readonly installed: InstalledProfile[] = [];
  private readonly maxStackLevel: number;
  private readonly maxPeriods: number;
  private readonly maxProfiles: number;

  constructor(private readonly options: ChargingProfileStoreOptions) {
    this.maxStackLevel = options.maxStackLevel ?? DEFAULT_MAX_STACK_LEVEL;
    this.maxPeriods = options.maxPeriods ?? DEFAULT_MAX_PERIODS;
    this.maxProfiles = options.maxProfiles ?? DEFAULT_MAX_PROFILES;
  }

  /** SetChargingProfile: installs (or replaces) a profile. */
  set(connectorId: number, profile: ChargingProfile): 'Accepted' | 'Rejected' {
    if (this.rejectReason(connectorId, profile) !== null) return 'Rejected';
    const parsed = installProfile(connectorId, profile, {
      maxStackLevel: this.maxStackLevel,
      maxPeriods: this.maxPeriods,
    });
    if (typeof parsed === 'string') return 'Rejected';
    const replaced = this.installed.filter((p) => replaces(p, parsed));
    if (this.installed.length - replaced.length >= this.maxProfiles) return 'Rejected';
    this.removeWhere((p) => replaced.includes(p));
    this.installed.push(parsed);
    return 'Accepted';
  }

  /** Why SetChargingProfile would be rejected for connector / purpose reasons, or null. */
  private rejectReason(connectorId: number, profile: ChargingProfile): string | null {
    if (!Number.isInteger(connectorId) || connectorId < 0 || connectorId > this.options.connectorCount) {
      return `unknown connector ${connectorId}`;
    }
    switch (profile.chargingProfilePurpose) {
      case 'ChargePointMaxProfile':
        if (connectorId !== 0) return 'ChargePointMaxProfile only on connector 0';
        if (profile.chargingProfileKind === 'Relative') return 'ChargePointMaxProfile cannot be Relative';
        return null;
      case 'TxDefaultProfile':
        return null;
      case 'TxProfile':
        if (connectorId === 0) return 'TxProfile needs a connector';
        return this.options.hasTransaction(connectorId, profile.transactionId) ? null : 'no transaction';
      default:
        return 'unknown purpose';
    }
  }

  /** ClearChargingProfile: by id alone, or by every criterion given (none given: all). */
  clear(criteria: ClearCriteria = {}): 'Accepted' | 'Unknown' {
    const { id, connectorId, chargingProfilePurpose: purpose, stackLevel } = criteria;
    const removed = this.removeWhere((p) =>
      id !== undefined
        ? p.profile.chargingProfileId === id
        : (connectorId === undefined || p.connectorId === connectorId) &&
          (purpose === undefined || p.profile.chargingProfilePurpose === purpose) &&
          (stackLevel === undefined || p.profile.stackLevel === stackLevel),
    );
    return removed > 0 ? 'Accepted' : 'Unknown';
  }

  /** The transaction on `connectorId` ended: its TxProfiles go. */
  transactionEnded(connectorId: number): void {
    this.removeWhere((p) => p.connectorId === connectorId && p.profile.chargingProfilePurpose === 'TxProfile');
  }

  /** Installed profiles (a copy), for GetConfiguration-like introspection and tests. */
  list(): { connectorId: number; profile: ChargingProfile }[] {
    return this.installed.map((p) => ({ connectorId: p.connectorId, profile: p.profile }));
  }

  /**
   * The effective limit in W on `connectorId` at `at`, or null when no profile applies.
   * `transactionStartedAt` anchors Relative schedules (null: no transaction, Relative ones do not apply).
   */
  limitW(
    connectorId: number,
    at: number,
    rating: ConnectorConfig,
    transactionStartedAt: number | null,
  ): number | null {
    const cap = this.purposeLimitW(0, 'ChargePointMaxProfile', at, rating, transactionStartedAt);
    const tx =
      (connectorId > 0 ? this.purposeLimitW(connectorId, 'TxProfile', at, rating, transactionStartedAt) : null) ??
      (connectorId > 0 ? this.purposeLimitW(connectorId, 'TxDefaultProfile', at, rating, transactionStartedAt) : null) ??
      this.purposeLimitW(0, 'TxDefaultProfile', at, rating, transactionStartedAt);
    if (cap === null) return tx;
    return tx === null ? cap : Math.min(cap, tx);
  }

  /** The next instant after `at` at which limitW on this connector may change (null: never). */
  nextChangeAt(connectorId: number, at: number, transactionStartedAt: number | null): number | null {
    let next = Infinity;
    for (const p of this.installed) {
      if (p.connectorId !== 0 && p.connectorId !== connectorId) continue;
      next = Math.min(next, nextBoundary(p, at, transactionStartedAt));
    }
    return Number.isFinite(next) ? next : null;
  }

  /**
   * GetCompositeSchedule: the limits on `connectorId` from `at` for `durationS` seconds, merged into
   * periods. Where no profile applies, the connector's rating is the limit. `unit` defaults to A for
   * AC connectors and W for DC.
   */
  compositeSchedule(
    connectorId: number,
    durationS: number,
    unit: ChargingRateUnit | undefined,
    at: number,
    rating: ConnectorConfig,
    transactionStartedAt: number | null = null,
  ): CompositeScheduleResult {
    if (!Number.isInteger(connectorId) || connectorId < 0 || connectorId > this.options.connectorCount) {
      return { status: 'Rejected' };
    }
    const rateUnit = unit ?? (rating.current === 'DC' ? 'W' : 'A');
    const duration = Math.max(0, Math.round(durationS));
    const periods = this.compositePeriods(connectorId, duration, rateUnit, at, rating, transactionStartedAt);
    const start = isoTime(at);
    return {
      status: 'Accepted',
      connectorId,
      scheduleStart: start,
      chargingSchedule: { duration, startSchedule: start, chargingRateUnit: rateUnit, chargingSchedulePeriod: periods },
    };
  }

  private compositePeriods(
    connectorId: number,
    durationS: number,
    unit: ChargingRateUnit,
    at: number,
    rating: ConnectorConfig,
    txStartedAt: number | null,
  ): ChargingSchedulePeriod[] {
    const end = at + durationS * 1000;
    const periods: ChargingSchedulePeriod[] = [];
    let t = at;
    do {
      const watts = this.limitW(connectorId, t, rating, txStartedAt) ?? rating.maxPowerKw * 1000;
      const limit = Math.round(wattsIn(watts, unit, rating) * 10) / 10;
      const startPeriod = Math.ceil((t - at) / 1000);
      const last = periods[periods.length - 1];
      if (last && last.startPeriod === startPeriod) last.limit = limit;
      else if (!last || last.limit !== limit) periods.push(compositePeriod(startPeriod, limit, rating, unit));
      t = this.nextChangeAt(connectorId, t, txStartedAt) ?? Infinity;
    } while (t < end);
    return mergeEqual(periods);
  }

  private purposeLimitW(
    connectorId: number,
    purpose: ChargingProfilePurpose,
    at: number,
    rating: ConnectorConfig,
    txStartedAt: number | null,
  ): number | null {
    let best: InstalledProfile | null = null;
    let bestPeriod: ChargingSchedulePeriod | null = null;
    for (const p of this.installed) {
      if (p.connectorId !== connectorId || p.profile.chargingProfilePurpose !== purpose) continue;
      if (best !== null && p.profile.stackLevel <= best.profile.stackLevel) continue;
      const period = periodAt(p, at, txStartedAt);
      if (period === null) continue;
      best = p;
      bestPeriod = period;
    }
    if (best === null || bestPeriod === null) return null;
    return periodLimitW(bestPeriod, best.profile.chargingSchedule.chargingRateUnit, rating);
  }

  private removeWhere(predicate: (p: InstalledProfile) => boolean): number {
    let removed = 0;
    for (let i = this.installed.length - 1; i >= 0; i--) {
      if (predicate(this.installed[i])) {
        this.installed.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }
}

/** OCPP 1.6: a new profile replaces one with the same id, or the same connector, purpose and stackLevel. */
function replaces(existing: InstalledProfile, incoming: InstalledProfile): boolean {
  const a = existing.profile;
  const b = incoming.profile;
  return (
    a.chargingProfileId === b.chargingProfileId ||
    (existing.connectorId === incoming.connectorId &&
      a.chargingProfilePurpose === b.chargingProfilePurpose &&
      a.stackLevel === b.stackLevel)
  );
}

function compositePeriod(
  startPeriod: number,
  limit: number,
  rating: ConnectorConfig,
  unit: ChargingRateUnit,
): ChargingSchedulePeriod {
  return rating.current === 'AC' && unit === 'A'
    ? { startPeriod, limit, numberPhases: rating.phases }
    : { startPeriod, limit };
}

function mergeEqual(periods: ChargingSchedulePeriod[]): ChargingSchedulePeriod[] {
  return periods.filter((p, i) => i === 0 || p.limit !== periods[i - 1].limit);
}
