/**
 * One virtual charge point of a conformance case: its socket (reopened after a deliberate offline
 * spell), message ids that stay unique across those reconnects, the boot handshake including a bounded
 * Pending retry, and calls that either give the reply or end the case with a precise reason.
 */
import { bootNotification } from '../ocpp/payloads.js';
import type { BootNotificationConf } from '../ocpp/payloads.js';
import { CaseHalt, failCase, skipCase } from './halt.js';
import { answerCsmsCall, describeAnswer, type CsmsCallRecord } from './responder.js';
import { trimText } from './evidence.js';
import { openWire, type CallOutcome, type Wire } from './wire.js';

/** What a station needs from the case running it. */
export interface StationHost {
  readonly caseId: string;
  readonly csmsUrl: string;
  readonly callTimeoutMs: number;
  frame(dir: 'sent' | 'received', station: string, text: string): void;
  note(text: string): void;
  /** A defect noticed along the way: the case fails even if its own check passes. */
  problem(text: string): void;
  csmsCall(record: CsmsCallRecord): void;
  replyViolation(action: string, payload: unknown): string | null;
  sleep(ms: number): Promise<void>;
}

export interface BootResult {
  accepted: boolean;
  /** Replies in order (one per BootNotification sent). */
  replies: BootNotificationConf[];
  /** Why the station is not Accepted; '' when it is. */
  why: string;
}

/** How many BootNotifications a Pending station sends before the suite gives up. */
export const MAX_BOOT_ATTEMPTS = 5;
/** Longest Pending retry interval the suite honours (wall ms); a longer one ends the wait. */
export const MAX_PENDING_WAIT_MS = 15_000;

export function describeOutcome(action: string, outcome: CallOutcome, timeoutMs: number): string {
  switch (outcome.kind) {
    case 'result':
      return `${action} answered ${trimText(JSON.stringify(outcome.payload), 120)}`;
    case 'error':
      return `${action} answered CALLERROR ${outcome.code}${outcome.description ? ` (${trimText(outcome.description, 100)})` : ''}`;
    case 'timeout':
      return `no reply to ${action} within ${timeoutMs / 1000} s`;
    case 'closed':
      return `the connection closed before the reply to ${action}`;
  }
}

export class TestStation {
  private wire: Wire | null = null;
  private messages = 0;

  constructor(
    readonly identity: string,
    private readonly host: StationHost,
  ) {}

  /** Opens the socket (no-op when open); a refused connection fails the case. */
  async connect(): Promise<void> {
    if (this.wire?.isOpen()) return;
    const { host, identity } = this;
    try {
      this.wire = await openWire({
        url: `${host.csmsUrl.replace(/\/+$/, '')}/${encodeURIComponent(identity)}`,
        callTimeoutMs: host.callTimeoutMs,
        nextMessageId: () => `cf-${++this.messages}`,
        onFrame: (dir, text) => host.frame(dir, identity, text),
        answer: (action, payload) => this.answer(action, payload),
        onClose: (code, reason, byUs) => {
          if (!byUs) host.note(`${identity}: the CSMS closed the connection (code ${code}${reason ? `, ${reason}` : ''})`);
        },
      });
    } catch (err) {
      failCase(err instanceof Error ? err.message : String(err));
    }
    host.note(`${identity}: connected`);
  }

  /** Closes the socket on purpose (the station goes offline); `quietly` leaves no note. */
  async disconnect(quietly = false): Promise<void> {
    const wire = this.wire;
    this.wire = null;
    if (!wire) return;
    await wire.close();
    if (!quietly) this.host.note(`${this.identity}: disconnected`);
  }

  isOpen(): boolean {
    return this.wire?.isOpen() ?? false;
  }

  /** Sends a CALL; a CALLRESULT that breaks its OCA schema is recorded as a problem. */
  async call(action: string, payload: unknown): Promise<CallOutcome> {
    if (!this.wire) return { kind: 'closed' };
    const outcome = await this.wire.call(action, payload);
    if (outcome.kind === 'result') {
      const violation = this.host.replyViolation(action, outcome.payload);
      if (violation) this.host.problem(`${action} reply violates the OCA 1.6 schema (${violation})`);
    }
    return outcome;
  }

  /** Sends a CALL and returns the CALLRESULT payload; anything else fails the case. */
  async request<T = Record<string, unknown>>(action: string, payload: unknown): Promise<T> {
    const outcome = await this.call(action, payload);
    if (outcome.kind !== 'result') failCase(describeOutcome(action, outcome, this.host.callTimeoutMs));
    return (outcome.payload ?? {}) as T;
  }

  sendRaw(text: string): boolean {
    return this.wire?.sendRaw(text) ?? false;
  }

  waitForFrame(match: (frame: unknown) => boolean, timeoutMs: number): Promise<unknown> {
    return this.wire ? this.wire.waitForFrame(match, timeoutMs) : Promise.resolve(undefined);
  }

  /** BootNotification until Accepted: Pending is retried after its interval, within the suite's bounds. */
  async boot(): Promise<BootResult> {
    const replies: BootNotificationConf[] = [];
    for (let attempt = 1; attempt <= MAX_BOOT_ATTEMPTS; attempt++) {
      const conf = await this.request<BootNotificationConf>('BootNotification', this.bootPayload());
      replies.push(conf);
      if (conf.status === 'Accepted') return { accepted: true, replies, why: '' };
      if (conf.status !== 'Pending') return { accepted: false, replies, why: `BootNotification answered ${String(conf.status)}` };
      const waitMs = Math.max(1, Number(conf.interval) || 0) * 1000;
      if (waitMs > MAX_PENDING_WAIT_MS) {
        return { accepted: false, replies, why: `Pending with a retry interval of ${conf.interval} s, longer than the ${MAX_PENDING_WAIT_MS / 1000} s this suite waits` };
      }
      this.host.note(`${this.identity}: Pending, retrying after ${waitMs / 1000} s as the interval says`);
      await this.host.sleep(waitMs);
    }
    return { accepted: false, replies, why: `still Pending after ${MAX_BOOT_ATTEMPTS} BootNotifications` };
  }

  /** Connects and boots; a station the CSMS does not accept skips the case (boot-accepted judges that). */
  async ready(): Promise<void> {
    await this.connect();
    const boot = await this.boot().catch((err: unknown) => {
      if (err instanceof CaseHalt) skipCase(`the station could not boot: ${err.reason} (see boot-accepted)`);
      throw err;
    });
    if (!boot.accepted) skipCase(`the CSMS did not accept the station: ${boot.why} (see boot-accepted)`);
  }

  private bootPayload(): object {
    const serialNumber = this.identity.slice(-20);
    return bootNotification({
      identity: this.identity,
      index: 1,
      vendor: 'ev-sim',
      model: 'conformance',
      firmwareVersion: 'ev-sim-conformance',
      serialNumber,
      connectors: [],
    });
  }

  private answer(action: string, payload: unknown) {
    const answer = answerCsmsCall(action, payload);
    this.host.csmsCall({
      caseId: this.host.caseId,
      station: this.identity,
      action,
      payload: trimText(JSON.stringify(payload) ?? 'null', 200),
      answer: describeAnswer(answer),
    });
    return answer;
  }
}
