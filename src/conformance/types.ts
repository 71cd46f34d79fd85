/**
 * The neutral model of a conformance run: what `runConformance` takes and returns, and the shape of one
 * case in the catalogue. Renderers (CLI lines, JSON, JUnit) read only these types.
 */

export type Verdict = 'pass' | 'fail' | 'skipped';

/** One OCPP-J frame as it crossed the socket, trimmed for the report. */
export interface EvidenceFrame {
  /** 'sent' = ev-sim → CSMS, 'received' = CSMS → ev-sim. */
  dir: 'sent' | 'received';
  /** Identity of the virtual charge point whose socket carried the frame. */
  station: string;
  /** The frame's text, cut to about 300 characters. */
  text: string;
}

export interface Evidence {
  /** The first frames of the case (at most about 30). */
  frames: EvidenceFrame[];
  /** Frames left out because the list was full. */
  framesOmitted: number;
  /** What the case observed besides frames: connects, ledger rows, judgements. */
  notes: string[];
}

export interface CaseResult {
  id: string;
  title: string;
  /** The specification section or OCA test case the case follows. */
  reference: string;
  verdict: Verdict;
  /** Why the case passed, failed or was skipped (one sentence). */
  reason: string;
  durationMs: number;
  evidence: Evidence;
}

export interface ConformanceResult {
  /** ISO time the run started. */
  startedAt: string;
  durationMs: number;
  /** The CSMS WebSocket base URL the cases connected to. */
  target: string;
  /** Root seed of identities and idTags; the same seed reproduces the same station identities. */
  seed: number;
  /** The CSMS ledger the cases consulted, or null. */
  ledgerUrl: string | null;
  cases: CaseResult[];
}

export interface ConformanceOptions {
  /** CSMS WebSocket base URL; each station connects to `${csmsUrl}/${identity}`. */
  csmsUrl: string;
  /** Case ids to run (default: all). Unknown ids are an error listing the valid ones. */
  only?: string[];
  /** An idTag the CSMS accepts. Without it the cases that need one are skipped. */
  idTag?: string;
  /** An idTag the CSMS does not know; default: a random `EVSIM-UNK-…` tag. */
  unknownIdTag?: string;
  /** URL returning the CSMS's transactions as JSON (field names as in ev-sim's embedded CSMS). */
  ledgerUrl?: string;
  /** Root seed; default: a fresh random seed (reported in the result). */
  seed?: number;
  /** Wall ms to wait for any one reply; default 10,000. */
  callTimeoutMs?: number;
  /** Cases running at once; default 4. */
  concurrency?: number;
}

/** What a case decides. */
export interface Outcome {
  verdict: Verdict;
  reason: string;
}

export const pass = (reason: string): Outcome => ({ verdict: 'pass', reason });
export const fail = (reason: string): Outcome => ({ verdict: 'fail', reason });
export const skipped = (reason: string): Outcome => ({ verdict: 'skipped', reason });
