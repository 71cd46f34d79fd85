/**
 * What the misbehaving CSMS is told to get wrong, and the decisions that follow from it. Every decision
 * is a pure function of message counts (1-based, across the whole CSMS unless noted), so a test knows
 * in advance exactly which message is hit.
 */

export interface Misbehaviour {
  /** Issue one transactionId to all of these StartTransactions (1-based counts across the CSMS): the id the first of them got. { reuseTransactionIdOn: [2, 3] } gives starts 2 and 3 the same id. */
  reuseTransactionIdOn?: number[];
  /** Hold back the reply to these StartTransactions (1-based count) for holdMs (longer than the station's timeout), then send it anyway (a late reply). The transaction is stored when the request arrives. */
  delayStartReplyOn?: number[];
  /** Wall milliseconds a delayed StartTransaction reply is held; default 3000. */
  holdMs?: number;
  /** Never answer these StartTransactions (the transaction is still stored: a phantom when the station retries). */
  dropStartReplyOn?: number[];
  /** Answer this share of MeterValues with CALLERROR InternalError (deterministic: every k-th, k = round(1/share)). */
  meterValuesErrorShare?: number;
  /** Answer these StopTransactions (1-based count) with CALLERROR InternalError; the stop is not stored. */
  stopErrorOn?: number[];
  /** Store a StopTransaction twice (double counting) for these counts. */
  storeStopTwiceOn?: number[];
  /** Close each station's connection after it has sent this many messages (once per station). */
  dropConnectionAfter?: number;
  /** Reject (Invalid) these idTags in StartTransaction even though Authorize accepted them (after-the-fact rejection). */
  rejectOnStart?: string[];
  /** Answer BootNotification Pending this many times per station first. */
  bootPending?: number;
}

export interface CsmsOptions extends Misbehaviour {
  /** idTags answered Accepted by Authorize and StartTransaction; default 'any'. */
  acceptedIdTags?: string[] | 'any';
}

/** How the reply to one StartTransaction is handled. */
export type ReplyFate = 'sent' | 'delayed' | 'dropped';

export const DEFAULT_HOLD_MS = 3000;

export class FaultPlan {
  readonly holdMs: number;
  private readonly meterValuesEvery: number;
  private readonly reuseFirst: number | undefined;

  constructor(private readonly options: CsmsOptions) {
    this.holdMs = options.holdMs ?? DEFAULT_HOLD_MS;
    this.meterValuesEvery = everyKth(options.meterValuesErrorShare);
    const reuse = options.reuseTransactionIdOn ?? [];
    this.reuseFirst = reuse.length > 1 ? Math.min(...reuse) : undefined;
  }

  /** True when start `count` must get the id that start `reuseSource()` was issued. */
  reusesTransactionId(count: number): boolean {
    return this.reuseFirst !== undefined && count !== this.reuseFirst && has(this.options.reuseTransactionIdOn, count);
  }

  /** The start count whose transactionId is handed out again, if any. */
  reuseSource(): number | undefined {
    return this.reuseFirst;
  }

  startReplyFate(count: number): ReplyFate {
    if (has(this.options.dropStartReplyOn, count)) return 'dropped';
    if (has(this.options.delayStartReplyOn, count)) return 'delayed';
    return 'sent';
  }

  meterValuesFails(count: number): boolean {
    return this.meterValuesEvery > 0 && count % this.meterValuesEvery === 0;
  }

  stopFails(count: number): boolean {
    return has(this.options.stopErrorOn, count);
  }

  /** How many ledger rows stop `count` writes when it closes an open transaction: 1, or 2 when double-stored. */
  stopCopies(count: number): 1 | 2 {
    return has(this.options.storeStopTwiceOn, count) ? 2 : 1;
  }

  /** True when a station that has now sent `messagesSent` messages must lose its connection. */
  dropsConnectionAt(messagesSent: number): boolean {
    return this.options.dropConnectionAfter !== undefined && messagesSent === this.options.dropConnectionAfter;
  }

  /** True when this station's `bootNumber`-th BootNotification (1-based, per station) is answered Pending. */
  bootIsPending(bootNumber: number): boolean {
    return bootNumber <= (this.options.bootPending ?? 0);
  }

  /** What Authorize says about an idTag. */
  authorizes(idTag: string): boolean {
    const accepted = this.options.acceptedIdTags ?? 'any';
    return accepted === 'any' || accepted.includes(idTag);
  }

  /** True when StartTransaction rejects a tag that Authorize would accept. */
  rejectsOnStart(idTag: string): boolean {
    return this.authorizes(idTag) && has(this.options.rejectOnStart, idTag);
  }
}

function has<T>(list: T[] | undefined, value: T): boolean {
  return list !== undefined && list.includes(value);
}

/** k for "every k-th" from a share; 0 means never. */
function everyKth(share: number | undefined): number {
  if (share === undefined || !(share > 0)) return 0;
  return Math.max(1, Math.round(1 / share));
}
