/**
 * Every transactionId the CSMS issued during one conformance run, across all cases. A transactionId is
 * the only key StopTransaction and MeterValues carry, so it must be unique across the CSMS: an id
 * handed to a second station, connector or to a new start after its transaction stopped is a defect,
 * whichever case happens to receive it. Getting the id of a transaction still open on the same
 * connector back again is not (a recognised resend).
 */

export interface IssuedTransaction {
  transactionId: number;
  caseId: string;
  station: string;
  connectorId: number;
  stopped: boolean;
}

export class TxRegistry {
  private readonly byId = new Map<number, IssuedTransaction>();

  /**
   * Records an id from a StartTransaction reply. Returns the earlier transaction when this id was
   * already issued to a different transaction; undefined when the id is new or a resend's.
   */
  issue(tx: Omit<IssuedTransaction, 'stopped'>): IssuedTransaction | undefined {
    const earlier = this.byId.get(tx.transactionId);
    if (!earlier) {
      this.byId.set(tx.transactionId, { ...tx, stopped: false });
      return undefined;
    }
    const sameOpenTransaction = earlier.station === tx.station && earlier.connectorId === tx.connectorId && !earlier.stopped;
    return sameOpenTransaction ? undefined : { ...earlier };
  }

  /** Notes that the station stopped the transaction (a later start that gets this id is a reuse). */
  stopped(transactionId: number, station: string): void {
    const tx = this.byId.get(transactionId);
    if (tx && tx.station === station) tx.stopped = true;
  }
}
