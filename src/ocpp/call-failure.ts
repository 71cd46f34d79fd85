/**
 * The one error a station sees when a call it made did not get a CALLRESULT. Its own file so the
 * connection implementation and the station code share it without an import cycle.
 */
import type { CallError } from '../metrics/types.js';

/**
 * A call that did not get a CALLRESULT: `code` is the CALLERROR code, 'Timeout' or 'Disconnected'.
 * `msgId` is the message id the CALL went out with (null if it never reached the socket).
 */
export class CallFailure extends Error {
  constructor(
    readonly action: string,
    readonly code: CallError,
    readonly msgId: string | null = null,
  ) {
    super(`${action} ${code}`);
    this.name = 'CallFailure';
  }
}
