/**
 * OCPP-J 1.6 framing (OCPP-J 1.6 §4): CALL `[2, id, action, payload]`, CALLRESULT `[3, id, payload]`,
 * CALLERROR `[4, id, code, description, details]`. Frames are parsed once with JSON.parse and checked
 * in place; nothing here allocates beyond the JSON text of an outgoing frame.
 */

export const CALL = 2;
export const CALLRESULT = 3;
export const CALLERROR = 4;

/** A parsed frame that passed `frameProblem`: element 1 is the message id, for a CALL element 2 the action. */
export type Frame = unknown[];

/**
 * What makes a parsed message unusable as an OCPP-J frame, or null when it is one. The texts are
 * ocpp-rpc's, so a CSMS sees the same descriptions it saw before.
 */
export function frameProblem(msg: unknown): string | null {
  if (!Array.isArray(msg)) return 'Message must be an array';
  const type = msg[0];
  if (typeof type !== 'number') return 'Message type must be a number';
  if (type !== CALL && type !== CALLRESULT && type !== CALLERROR) return 'Unrecognised message type';
  if (typeof msg[1] !== 'string') return 'Message ID must be a string';
  if (type === CALL && typeof msg[2] !== 'string') return 'Method must be a string';
  return null;
}

/** A CALL with a leading message type and a quoted id, readable even when the rest of the text is broken. */
const LEADING_ID = /^\s*\[\s*(\d+)\s*,\s*"([^"\\]*)"/;

/**
 * The message id of a malformed message, when one can be read and the message may be answered: never
 * for something that looks like a CALLRESULT or CALLERROR (a reply is never answered, OCPP-J 1.6 §4.2).
 * `msg` is the parsed value, or undefined when `text` was not JSON.
 */
export function answerableId(text: string, msg: unknown): string | null {
  if (Array.isArray(msg)) {
    if (msg[0] === CALLRESULT || msg[0] === CALLERROR) return null;
    return typeof msg[1] === 'string' ? msg[1] : null;
  }
  if (msg !== undefined) return null;
  const m = LEADING_ID.exec(text);
  if (m === null || Number(m[1]) === CALLRESULT || Number(m[1]) === CALLERROR) return null;
  return m[2];
}

export function callFrame(id: string, action: string, payload: unknown): string {
  return JSON.stringify([CALL, id, action, payload]);
}

export function resultFrame(id: string, payload: unknown): string {
  return JSON.stringify([CALLRESULT, id, payload]);
}

export function errorFrame(id: string, code: string, description: string, details: object): string {
  return JSON.stringify([CALLERROR, id, code, description, details]);
}
