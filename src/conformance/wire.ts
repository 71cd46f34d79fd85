/**
 * The conformance suite's OCPP-J 1.6 socket: a deliberately plain client on `ws`, so a case can send
 * exactly the frame it means (also malformed ones), see every frame that comes back, and never has a
 * call buffered, retried or validated behind its back. Calls never throw: they resolve to an outcome.
 */
import WebSocket from 'ws';

export const SUBPROTOCOL = 'ocpp1.6';

const CALL = 2;
const CALLRESULT = 3;
const CALLERROR = 4;

export type CallOutcome =
  | { kind: 'result'; payload: unknown }
  | { kind: 'error'; code: string; description: string }
  | { kind: 'timeout' }
  | { kind: 'closed' };

/** How to answer a CALL from the CSMS: a CALLRESULT payload or a CALLERROR. */
export type CallAnswer = { result: object } | { error: string; description: string };

export interface WireOptions {
  /** Full WebSocket URL, identity included. */
  url: string;
  callTimeoutMs: number;
  nextMessageId(): string;
  onFrame(dir: 'sent' | 'received', text: string): void;
  /** Answers a CALL from the CSMS. */
  answer(action: string, payload: unknown): CallAnswer;
  /** The socket closed; `byUs` is false when the CSMS (or the network) closed it. */
  onClose(code: number, reason: string, byUs: boolean): void;
}

export interface Wire {
  /** Sends a CALL and resolves with what came back (or did not). */
  call(action: string, payload: unknown): Promise<CallOutcome>;
  /** Sends `text` as it is; false when the socket is not open. */
  sendRaw(text: string): boolean;
  /**
   * The next received frame (parsed JSON; the raw text when it is not JSON) that `match` accepts, or
   * undefined after `timeoutMs` or when the socket closes first.
   */
  waitForFrame(match: (frame: unknown) => boolean, timeoutMs: number): Promise<unknown>;
  isOpen(): boolean;
  close(): Promise<void>;
}

interface Pending {
  resolve(outcome: CallOutcome): void;
}

interface Watcher {
  match(frame: unknown): boolean;
  resolve(frame: unknown): void;
}

const CLOSE_GRACE_MS = 1000;

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Opens the socket; rejects with a readable Error when the CSMS cannot be reached or refuses. */
export function openWire(opts: WireOptions): Promise<Wire> {
  const ws = new WebSocket(opts.url, [SUBPROTOCOL], { handshakeTimeout: opts.callTimeoutMs });
  return new Promise((resolve, reject) => {
    ws.once('error', (err) => reject(new Error(`could not connect to ${opts.url}: ${err.message}`)));
    ws.once('open', () => {
      ws.removeAllListeners('error');
      if (ws.protocol !== SUBPROTOCOL) {
        ws.terminate();
        reject(new Error(`the CSMS did not agree on subprotocol ${SUBPROTOCOL} (got "${ws.protocol}")`));
        return;
      }
      resolve(wireOn(ws, opts));
    });
  });
}

function wireOn(ws: WebSocket, opts: WireOptions): Wire {
  const pending = new Map<string, Pending>();
  const watchers = new Set<Watcher>();
  let closingByUs = false;

  const send = (text: string): boolean => {
    if (ws.readyState !== WebSocket.OPEN) return false;
    ws.send(text);
    opts.onFrame('sent', text);
    return true;
  };

  ws.on('error', () => undefined);
  ws.on('message', (data) => {
    const text = data.toString();
    opts.onFrame('received', text);
    const frame = parse(text);
    for (const w of [...watchers]) if (w.match(frame)) w.resolve(frame);
    if (!Array.isArray(frame) || typeof frame[1] !== 'string') return;
    if (frame[0] === CALL) return answerCall(frame, opts, send);
    const waiting = pending.get(frame[1]);
    if (!waiting) return;
    if (frame[0] === CALLRESULT) waiting.resolve({ kind: 'result', payload: frame[2] });
    if (frame[0] === CALLERROR) waiting.resolve({ kind: 'error', code: String(frame[2]), description: String(frame[3] ?? '') });
  });
  ws.once('close', (code, reason) => {
    for (const p of [...pending.values()]) p.resolve({ kind: 'closed' });
    for (const w of [...watchers]) w.resolve(undefined);
    opts.onClose(code, reason.toString(), closingByUs);
  });

  return {
    call: (action, payload) => callOn(pending, send, opts, action, payload),
    sendRaw: send,
    waitForFrame: (match, timeoutMs) => waitOn(ws, watchers, match, timeoutMs),
    isOpen: () => ws.readyState === WebSocket.OPEN,
    close: () => {
      closingByUs = true;
      return closeSocket(ws);
    },
  };
}

function answerCall(frame: unknown[], opts: WireOptions, send: (text: string) => boolean): void {
  const [, id, action, payload] = frame;
  const answer = opts.answer(String(action), payload);
  const reply = 'result' in answer ? [CALLRESULT, id, answer.result] : [CALLERROR, id, answer.error, answer.description, {}];
  send(JSON.stringify(reply));
}

function callOn(
  pending: Map<string, Pending>,
  send: (text: string) => boolean,
  opts: WireOptions,
  action: string,
  payload: unknown,
): Promise<CallOutcome> {
  const id = opts.nextMessageId();
  return new Promise((resolve) => {
    const timer = setTimeout(() => done({ kind: 'timeout' }), opts.callTimeoutMs);
    const done = (outcome: CallOutcome) => {
      clearTimeout(timer);
      pending.delete(id);
      resolve(outcome);
    };
    pending.set(id, { resolve: done });
    if (!send(JSON.stringify([CALL, id, action, payload]))) done({ kind: 'closed' });
  });
}

function waitOn(ws: WebSocket, watchers: Set<Watcher>, match: (frame: unknown) => boolean, timeoutMs: number): Promise<unknown> {
  if (ws.readyState !== WebSocket.OPEN) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const watcher: Watcher = {
      match,
      resolve: (frame) => {
        clearTimeout(timer);
        watchers.delete(watcher);
        resolve(frame);
      },
    };
    const timer = setTimeout(() => watcher.resolve(undefined), timeoutMs);
    watchers.add(watcher);
  });
}

function closeSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(1000, 'conformance case done');
  });
}
