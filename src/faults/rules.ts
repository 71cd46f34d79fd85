/**
 * Fault rules and the per-frame decisions they imply. A connection holds the summary of the rules
 * that currently match its identity (`ConnectionFaults`); the proxy recomputes it when rules change.
 */
import type { Rng } from '../util/rng.js';
import { frameOpcode, isFinalFrame, ocppMessageType, type OcppMessageType } from './ws-frames.js';

export type FaultDirection = 'toCsms' | 'toStation';

export interface PartitionRule {
  kind: 'partition';
  /**
   * refuse: open connections are reset (RST) and new ones are accepted, then reset before their
   * upgrade request is forwarded. blackhole: connections (open and new) stay open but every byte in
   * either direction is discarded; see proxy.ts for what happens when the partition ends.
   */
  mode: 'refuse' | 'blackhole';
}

export interface LatencyRule {
  kind: 'latency';
  /** Every frame (and HTTP head) is delayed by ms ± jitterMs (uniform, never below 0); order is kept per direction. */
  ms: number;
  jitterMs: number;
  rng: Rng;
}

export interface LossRule {
  kind: 'loss';
  /** Probability in [0, 1] that an eligible message is dropped. */
  share: number;
  direction: FaultDirection | 'both';
  /** When given, only text frames carrying these OCPP message types are eligible. */
  messageTypes?: OcppMessageType[];
  rng: Rng;
}

/** The CSMS is down: behaves exactly like `partition` / `refuse`. */
export interface OutageRule {
  kind: 'outage';
}

export type FaultRule = PartitionRule | LatencyRule | LossRule | OutageRule;

/** What the active rules mean for one connection. */
export interface ConnectionFaults {
  /** Reset open connections, refuse new ones (partition refuse, outage). */
  readonly cut: boolean;
  readonly blackhole: boolean;
  readonly latency: readonly LatencyRule[];
  readonly loss: readonly LossRule[];
}

export const NO_FAULTS: ConnectionFaults = Object.freeze({ cut: false, blackhole: false, latency: [], loss: [] });

/** Throws RangeError when a rule's parameters are out of range. */
export function checkRule(rule: FaultRule): void {
  switch (rule.kind) {
    case 'partition':
      if (rule.mode !== 'refuse' && rule.mode !== 'blackhole') throw new RangeError(`unknown partition mode ${String(rule.mode)}`);
      return;
    case 'latency':
      if (!(rule.ms >= 0 && Number.isFinite(rule.ms))) throw new RangeError(`latency ms must be >= 0, got ${rule.ms}`);
      if (!(rule.jitterMs >= 0 && Number.isFinite(rule.jitterMs))) throw new RangeError(`latency jitterMs must be >= 0, got ${rule.jitterMs}`);
      if (typeof rule.rng !== 'function') throw new RangeError('latency rng must be a function');
      return;
    case 'loss':
      if (!(rule.share >= 0 && rule.share <= 1)) throw new RangeError(`loss share must be within [0, 1], got ${rule.share}`);
      if (!['toCsms', 'toStation', 'both'].includes(rule.direction)) throw new RangeError(`unknown loss direction ${String(rule.direction)}`);
      if (rule.messageTypes?.some((t) => t !== 2 && t !== 3 && t !== 4)) throw new RangeError('loss messageTypes may only hold 2, 3 and 4');
      if (typeof rule.rng !== 'function') throw new RangeError('loss rng must be a function');
      return;
    case 'outage':
      return;
    default:
      throw new RangeError(`unknown fault kind ${(rule as { kind: unknown }).kind}`);
  }
}

export function summariseFaults(rules: Iterable<FaultRule>): ConnectionFaults {
  let cut = false;
  let blackhole = false;
  const latency: LatencyRule[] = [];
  const loss: LossRule[] = [];
  for (const rule of rules) {
    if (rule.kind === 'outage' || (rule.kind === 'partition' && rule.mode === 'refuse')) cut = true;
    else if (rule.kind === 'partition') blackhole = true;
    else if (rule.kind === 'latency') latency.push(rule);
    else loss.push(rule);
  }
  if (!cut && !blackhole && latency.length === 0 && loss.length === 0) return NO_FAULTS;
  return { cut, blackhole, latency, loss };
}

/** Per direction: whether the rest of a fragmented message is being dropped. */
export interface MessageState {
  droppingMessage: boolean;
}

/**
 * Decides whether a complete frame is discarded. Control frames are only discarded by a blackhole;
 * a data message is dropped whole: once its first frame is dropped, its continuation frames are too.
 */
export function frameDropped(faults: ConnectionFaults, direction: FaultDirection, frame: Buffer, state: MessageState): boolean {
  if (frame[0] & 0x08) return faults.blackhole;
  const continuation = frameOpcode(frame) === 0;
  const drop = continuation
    ? state.droppingMessage || faults.blackhole
    : faults.blackhole || lossDrops(faults.loss, direction, frame);
  state.droppingMessage = drop && !isFinalFrame(frame);
  return drop;
}

/**
 * Every loss rule for which the frame is eligible draws once from its own stream, so the frames a
 * rule drops depend only on the eligible frames it has seen.
 */
function lossDrops(rules: readonly LossRule[], direction: FaultDirection, frame: Buffer): boolean {
  let drop = false;
  let type: OcppMessageType | null | undefined;
  for (const rule of rules) {
    if (rule.direction !== 'both' && rule.direction !== direction) continue;
    if (rule.messageTypes) {
      if (type === undefined) type = ocppMessageType(frame);
      if (type === null || !rule.messageTypes.includes(type)) continue;
    }
    if (rule.rng() < rule.share) drop = true;
  }
  return drop;
}

/** Wall milliseconds to hold the next piece: the sum over latency rules, one draw per rule. */
export function delayFor(faults: ConnectionFaults): number {
  let total = 0;
  for (const rule of faults.latency) total += Math.max(0, rule.ms + rule.jitterMs * (2 * rule.rng() - 1));
  return total;
}
