/**
 * What the embedded CSMS knows: stations (boots, connector statuses) and transactions. Every lookup
 * is a Map access, so the work per message stays constant however many stations are connected.
 */
import { CsmsCounters } from './counters.js';
import type {
  RegistrationStatus,
  StartTransactionReq,
  StatusNotificationReq,
  StopTransactionReq,
} from './ocpp16.js';

export type TransactionStatus = 'Accepted' | 'Invalid' | 'Blocked';

/** One transaction as the CSMS recorded it. Field names are a public contract (GET /transactions). */
export interface TransactionRecord {
  transactionId: number;
  chargePointId: string;
  connectorId: number;
  idTag: string;
  meterStart: number;
  /** Wh, from the first StopTransaction; null while open. */
  meterStop: number | null;
  startTimestamp: string;
  stopTimestamp: string | null;
  /** Reason of the first StopTransaction ('Local' when the station left it out); null while open. */
  stopReason: string | null;
  /** idTagInfo status given in the StartTransaction reply. */
  status: TransactionStatus;
  /** MeterValues messages received for this transaction. */
  meterValuesCount: number;
  /** Last Energy.Active.Import.Register (Wh) seen in MeterValues; null before the first. */
  lastMeterWh: number | null;
  /** StopTransaction messages received; more than 1 means duplicate stops. */
  stopCount: number;
  /** StartTransaction messages mapped to this transaction; more than 1 means the station resent it. */
  startCount: number;
  /** Closed by the connector's next StartTransaction, not (yet) by a StopTransaction of its own. */
  implicitStop: boolean;
}

export interface ConnectorStatusRecord {
  status: string;
  errorCode: string;
  /** The station's timestamp, if it sent one. */
  timestamp: string | null;
}

export interface StationRecord {
  readonly identity: string;
  /** BootNotifications received. */
  boots: number;
  lastBootStatus: RegistrationStatus | null;
  /** Last StatusNotification per connector id (0 = the whole charge point). */
  readonly connectors: Map<number, ConnectorStatusRecord>;
  /** Latest transaction started on each connector, to recognise a resent StartTransaction. */
  readonly lastTransaction: Map<number, TransactionRecord>;
}

/** GET /stats. See http.ts for the documented JSON shape. */
export interface CsmsStats {
  connected: number;
  boots: number;
  transactions: number;
  openTransactions: number;
  schemaViolations: number;
  messages: Record<string, number>;
  messagesBeforeAccepted: number;
  orphanMeterValues: number;
  orphanStops: number;
  duplicateStarts: number;
  duplicateStops: number;
  /** Open transactions closed because their connector started a new one. */
  implicitStops: number;
}

export class CsmsStore {
  readonly counters = new CsmsCounters();
  private readonly txs = new Map<number, TransactionRecord>();
  private readonly stationsById = new Map<string, StationRecord>();
  private nextTransactionId = 1;
  private openTransactions = 0;
  private acceptedBoots = 0;
  /** MeterValues without transactionId, with -1, or with an id never issued (answered {} all the same). */
  private orphanMeterValues = 0;
  /** StopTransaction with -1 or an id never issued (answered all the same). */
  private orphanStops = 0;
  private duplicateStarts = 0;
  private duplicateStops = 0;
  private implicitStops = 0;

  /** The record of a station, created on first use. */
  station(identity: string): StationRecord {
    let record = this.stationsById.get(identity);
    if (!record) {
      record = { identity, boots: 0, lastBootStatus: null, connectors: new Map(), lastTransaction: new Map() };
      this.stationsById.set(identity, record);
    }
    return record;
  }

  findStation(identity: string): StationRecord | undefined {
    return this.stationsById.get(identity);
  }

  /** Counts a received BootNotification (before the reply is decided). */
  countBoot(station: StationRecord): void {
    station.boots++;
  }

  /** Records the status the CSMS answered a BootNotification with. */
  recordBoot(station: StationRecord, status: RegistrationStatus): void {
    station.lastBootStatus = status;
    if (status === 'Accepted') this.acceptedBoots++;
  }

  setConnectorStatus(station: StationRecord, req: StatusNotificationReq): void {
    station.connectors.set(req.connectorId, {
      status: req.status,
      errorCode: req.errorCode,
      timestamp: req.timestamp ?? null,
    });
  }

  /**
   * Records a StartTransaction and returns its transaction. A request identical to the latest start
   * on the same connector (idTag, meterStart, timestamp) is a resend: it maps to the same transaction.
   */
  startTransaction(station: StationRecord, req: StartTransactionReq, status: TransactionStatus): TransactionRecord {
    const previous = station.lastTransaction.get(req.connectorId);
    if (previous && isSameStart(previous, req)) {
      previous.startCount++;
      this.duplicateStarts++;
      return previous;
    }
    if (previous && previous.status === 'Accepted' && previous.meterStop === null) this.closeImplicitly(previous, req);
    const record: TransactionRecord = {
      transactionId: this.nextTransactionId++,
      chargePointId: station.identity,
      connectorId: req.connectorId,
      idTag: req.idTag,
      meterStart: req.meterStart,
      meterStop: null,
      startTimestamp: req.timestamp,
      stopTimestamp: null,
      stopReason: null,
      status,
      meterValuesCount: 0,
      lastMeterWh: null,
      stopCount: 0,
      startCount: 1,
      implicitStop: false,
    };
    this.txs.set(record.transactionId, record);
    station.lastTransaction.set(req.connectorId, record);
    if (status === 'Accepted') this.openTransactions++;
    return record;
  }

  /**
   * A connector carries one transaction at a time: a new start on a connector whose transaction is still
   * open means that transaction ended without its StopTransaction reaching us (yet). Close it at the new
   * start's meter reading, so it is not left open forever; a real StopTransaction arriving later still
   * replaces these values (see stopTransaction).
   */
  private closeImplicitly(open: TransactionRecord, next: StartTransactionReq): void {
    open.meterStop = next.meterStart;
    open.stopTimestamp = next.timestamp;
    open.stopReason = 'Other';
    open.implicitStop = true;
    this.openTransactions--;
    this.implicitStops++;
  }

  /** Counts one MeterValues message; returns the transaction, or undefined for an orphan. */
  meterValues(transactionId: number | undefined, energyWh: number | null): TransactionRecord | undefined {
    const record = transactionId === undefined ? undefined : this.txs.get(transactionId);
    if (!record) {
      this.orphanMeterValues++;
      return undefined;
    }
    record.meterValuesCount++;
    if (energyWh !== null) record.lastMeterWh = energyWh;
    return record;
  }

  /** Records a StopTransaction; the first stop closes the transaction, later ones only count. */
  stopTransaction(req: StopTransactionReq): TransactionRecord | undefined {
    const record = this.txs.get(req.transactionId);
    if (!record) {
      this.orphanStops++;
      return undefined;
    }
    if (record.implicitStop) {
      // The stop we assumed at the connector's next start: the station's own values win.
      record.implicitStop = false;
      record.meterStop = req.meterStop;
      record.stopTimestamp = req.timestamp;
      record.stopReason = req.reason ?? 'Local';
      record.stopCount++;
      return record;
    }
    record.stopCount++;
    if (record.stopCount > 1) {
      this.duplicateStops++;
      return record;
    }
    record.meterStop = req.meterStop;
    record.stopTimestamp = req.timestamp;
    record.stopReason = req.reason ?? 'Local';
    if (record.status === 'Accepted') this.openTransactions--;
    return record;
  }

  transaction(transactionId: number): TransactionRecord | undefined {
    return this.txs.get(transactionId);
  }

  /** Every transaction, in transactionId order. */
  transactions(): TransactionRecord[] {
    return Array.from(this.txs.values());
  }

  stats(): CsmsStats {
    const c = this.counters;
    return {
      connected: c.connected,
      boots: this.acceptedBoots,
      transactions: this.txs.size,
      openTransactions: this.openTransactions,
      schemaViolations: c.schemaViolations,
      messages: c.messages(),
      messagesBeforeAccepted: c.messagesBeforeAccepted,
      orphanMeterValues: this.orphanMeterValues,
      orphanStops: this.orphanStops,
      duplicateStarts: this.duplicateStarts,
      duplicateStops: this.duplicateStops,
      implicitStops: this.implicitStops,
    };
  }
}

function isSameStart(record: TransactionRecord, req: StartTransactionReq): boolean {
  return record.idTag === req.idTag && record.meterStart === req.meterStart && record.startTimestamp === req.timestamp;
}
