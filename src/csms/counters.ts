/**
 * Traffic counters of the embedded CSMS: connections, received calls per action, and protocol
 * violations. Plain fields and one Map, so counting a message is a couple of integer additions.
 */
export class CsmsCounters {
  /** Station connections currently open. */
  connected = 0;
  /** Messages that broke the schema or the OCPP-J framing (strict-mode validation failures + bad messages). */
  schemaViolations = 0;
  /** Calls (other than BootNotification) from a station whose last BootNotification was not Accepted. */
  messagesBeforeAccepted = 0;
  private readonly received = new Map<string, number>();

  /** Counts one received CALL, valid or not. */
  call(action: string): void {
    this.received.set(action, (this.received.get(action) ?? 0) + 1);
  }

  /** Received CALLs per action, as a plain object. */
  messages(): Record<string, number> {
    return Object.fromEntries(this.received);
  }
}
