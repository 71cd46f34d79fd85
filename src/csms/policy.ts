/**
 * The CSMS's decisions: how to answer a BootNotification and whether an idTag is authorised.
 * Pure functions of the options and the station's history.
 */
import type { ResolvedCsmsOptions } from './options.js';
import type { RegistrationStatus } from './ocpp16.js';
import type { StationRecord, TransactionStatus } from './store.js';

export interface BootDecision {
  status: RegistrationStatus;
  /** Seconds: heartbeat interval when Accepted, retry wait otherwise. */
  interval: number;
}

/** Decides the reply to a station's BootNotification; `station.boots` already counts this one. */
export function decideBoot(options: ResolvedCsmsOptions, station: StationRecord): BootDecision {
  if (options.rejectIdentities.has(station.identity)) {
    return { status: 'Rejected', interval: options.bootRetryIntervalS };
  }
  if (station.boots <= options.bootPendingCount) {
    return { status: 'Pending', interval: options.bootRetryIntervalS };
  }
  return { status: 'Accepted', interval: options.heartbeatIntervalS };
}

/** Blocked tags are Blocked, accepted tags (or any tag with 'any') Accepted, everything else Invalid. */
export function authorizeIdTag(options: ResolvedCsmsOptions, idTag: string): TransactionStatus {
  if (options.blockedIdTags.has(idTag)) return 'Blocked';
  if (options.acceptedIdTags === 'any' || options.acceptedIdTags.has(idTag)) return 'Accepted';
  return 'Invalid';
}
