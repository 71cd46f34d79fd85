/**
 * The fleet's metrics sink: implements FleetObserver, answers live snapshots, and hands the report
 * builder its parts. One instance per run (or per worker); nothing global.
 */
import type { ActionReport, SessionStatsReport } from '../report/types.js';
import type { CallError, Direction, FleetObserver, SessionRecord } from './types.js';
import { createActionTable } from './action-stats.js';
import { createConnectionTracker } from './connections.js';
import { createLatencyHistogram, percentileOf, recordMs } from './histogram.js';
import { createSendDelayTracker, type HealthReport, type ProcessHealth } from './health.js';
import { createSessionTracker } from './sessions.js';
import { createQueueDepth } from './queue-depth.js';
import type { SessionCounts } from './sessions.js';

export interface MessageCounts {
  /** Calls the stations made to the CSMS. */
  sent: number;
  /** Calls the CSMS made to the stations. */
  received: number;
  /** Calls (either direction) that failed: CALLERROR, timeout or disconnect. */
  errors: number;
  /** Calls that got no reply within the call timeout. */
  timeouts: number;
}

/** Live view of a run, cheap enough to take every second. */
export interface MetricsSnapshot {
  /** Stations connected now. */
  connected: number;
  /** Stations connected now with an Accepted BootNotification. */
  accepted: number;
  sessions: SessionCounts;
  messages: MessageCounts & {
    /** Calls lost because the connection dropped before the reply. */
    disconnects: number;
  };
  /** p95 latency (ms) of all replied calls the stations sent so far; null before the first reply. */
  p95Ms: number | null;
  /** Transaction messages waiting in the stations' offline queues now (in-flight ones included). */
  queueDepth: number;
}

/** Everything the report builder needs from the metrics. */
export interface ReportParts {
  stations: { connectedPeak: number; bootAccepted: number; disconnects: number };
  sessions: { started: number; completed: number; rejected: number; failed: number };
  energyWh: number;
  sessionStats: SessionStatsReport;
  messages: MessageCounts;
  latency: Record<string, ActionReport>;
  incoming: Record<string, ActionReport>;
  /** ev-sim's own health: schedule slip of the CALLs, plus what the caller measured of the process. */
  health(processHealth: ProcessHealth): HealthReport;
}

export interface Metrics extends FleetObserver {
  snapshot(): MetricsSnapshot;
  toReportParts(): ReportParts;
}

export function createMetrics(): Metrics {
  const sent = createActionTable();
  const received = createActionTable();
  const allSent = createLatencyHistogram();
  const connections = createConnectionTracker();
  const sessions = createSessionTracker();
  const queue = createQueueDepth();
  const sendDelays = createSendDelayTracker();

  function call(direction: Direction, action: string, latencyMs: number, error?: CallError): void {
    if (direction === 'sent') {
      if (sent.record(action, latencyMs, error)) recordMs(allSent, latencyMs);
    } else {
      received.record(action, latencyMs, error);
    }
  }

  function messages(): MessageCounts & { disconnects: number } {
    const s = sent.totals();
    const r = received.totals();
    return {
      sent: s.count,
      received: r.count,
      errors: s.errors + r.errors,
      timeouts: s.timeouts + r.timeouts,
      disconnects: s.disconnects + r.disconnects,
    };
  }

  function snapshot(): MetricsSnapshot {
    const { connected, accepted } = connections.counts();
    return {
      connected,
      accepted,
      sessions: sessions.counts(),
      messages: messages(),
      p95Ms: allSent.totalCount === 0 ? null : percentileOf(allSent, 95, 1000),
      queueDepth: queue.total(),
    };
  }

  function toReportParts(): ReportParts {
    const { connectedPeak, bootAccepted, disconnects } = connections.counts();
    const { started, completed, rejected, failed } = sessions.counts();
    const { disconnects: _lost, ...messageCounts } = messages();
    return {
      stations: { connectedPeak, bootAccepted, disconnects },
      sessions: { started, completed, rejected, failed },
      energyWh: sessions.energyWh(),
      sessionStats: sessions.stats(),
      messages: messageCounts,
      latency: sent.report(),
      incoming: received.report(),
      health: (processHealth: ProcessHealth) => sendDelays.report(processHealth),
    };
  }

  return {
    call,
    session: (record: SessionRecord) => sessions.ended(record),
    sessionPlugged: () => sessions.plugged(),
    sendDelay: (_action, delayMs) => sendDelays.record(delayMs),
    txMessage: (e) => queue.update(e),
    connection: (stationId, state) => connections.update(stationId, state),
    snapshot,
    toReportParts,
  };
}
