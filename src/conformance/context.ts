/**
 * What one case gets to work with: the run's settings and shared records, its own evidence, fresh
 * station identities, and the list of defects noticed along the way. The runner creates one per case
 * and closes every station the case opened when it ends.
 */
import type { Rng, RngRoot } from '../util/rng.js';
import { EvidenceLog } from './evidence.js';
import { skipCase } from './halt.js';
import { stationIdentity } from './identity.js';
import type { LedgerReader } from './ledger.js';
import type { CsmsCallLog, CsmsCallRecord } from './responder.js';
import type { ReplyChecker } from './schema.js';
import { TestStation, type StationHost } from './station.js';
import type { TxRegistry } from './tx-registry.js';

/** Settings and records shared by every case of one run. */
export interface RunShared {
  readonly csmsUrl: string;
  /** An idTag the CSMS accepts, or null when none was given. */
  readonly idTag: string | null;
  readonly unknownIdTag: string;
  readonly ledger: LedgerReader | null;
  readonly callTimeoutMs: number;
  readonly rng: RngRoot;
  readonly txs: TxRegistry;
  readonly csmsCalls: CsmsCallLog;
  readonly replies: ReplyChecker;
}

export class CaseContext implements StationHost {
  readonly evidence = new EvidenceLog();
  private readonly defects: string[] = [];
  private readonly stations: TestStation[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    readonly caseId: string,
    readonly shared: RunShared,
  ) {}

  get csmsUrl(): string {
    return this.shared.csmsUrl;
  }

  get callTimeoutMs(): number {
    return this.shared.callTimeoutMs;
  }

  /** The case's n-th station (1-based), with a fresh identity; not connected yet. */
  station(n = 1): TestStation {
    const station = new TestStation(stationIdentity(this.shared.rng, this.caseId, n), this);
    this.stations.push(station);
    return station;
  }

  /** The known idTag; skips the case when the run has none. */
  knownIdTag(): string {
    if (this.shared.idTag === null) skipCase('no idTag the CSMS accepts was given (use --id-tag <tag>)');
    return this.shared.idTag;
  }

  /** A random stream private to this case and label. */
  rng(label: string): Rng {
    return this.shared.rng.stream(`conformance/${this.caseId}/${label}`);
  }

  now(): number {
    return Date.now();
  }

  frame(dir: 'sent' | 'received', station: string, text: string): void {
    this.evidence.frame(dir, station, text);
  }

  note(text: string): void {
    this.evidence.note(text);
  }

  problem(text: string): void {
    this.defects.push(text);
    this.evidence.note(`problem: ${text}`);
  }

  /** Defects noticed along the way, in order. */
  problems(): readonly string[] {
    return this.defects;
  }

  csmsCall(record: CsmsCallRecord): void {
    this.shared.csmsCalls.add(record);
    this.evidence.note(`${record.station}: the CSMS called ${record.action}, answered ${record.answer}`);
  }

  replyViolation(action: string, payload: unknown): string | null {
    return this.shared.replies.violation(action, payload);
  }

  /** Waits `ms` wall milliseconds (cut short when the case is closed). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  /** Closes every station the case opened and cancels its waits. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.stations.map((s) => s.disconnect(true)));
  }
}
