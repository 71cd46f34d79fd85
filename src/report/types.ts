/**
 * The JSON run report: a PUBLIC interface that CI pipelines parse. Additive changes only; anything
 * else bumps `schemaVersion`. Times are ISO-8601 UTC strings, durations milliseconds, energy Wh,
 * latencies milliseconds rounded to 0.001.
 */

/** Latency and outcome of one OCPP action in one direction. */
export interface ActionReport {
  /** Calls made (replied, failed and unanswered alike). */
  count: number;
  /** Failed calls by CALLERROR code, plus 'Timeout' and 'Disconnected' for calls that got no reply. */
  errors: Record<string, number>;
  /** Calls that got no reply within the call timeout (also counted in `errors.Timeout`). */
  timeouts: number;
  /**
   * Latency statistics (ms) over the calls that got a reply (CALLRESULT or CALLERROR); timeouts and
   * disconnects have no latency. `histogram` is the HdrHistogram (µs) as compressed base64.
   */
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  histogram: string;
}

/** Summary of a per-session quantity over the completed sessions (0 when there are none). */
export interface DistributionReport {
  mean: number;
  p50: number;
  p90: number;
  max: number;
}

export interface SessionStatsReport {
  /** Energy delivered per completed session, Wh. */
  energyWh: DistributionReport;
  /** Plug-in to unplug time per completed session, minutes (simulated). */
  pluggedMinutes: DistributionReport;
  /** Time energy actually flowed per completed session, minutes (simulated); plugged minus idle time. */
  chargingMinutes: DistributionReport;
  /** Sessions (any outcome) by vehicle profile name; 'unknown' when the session had no vehicle. */
  vehicles: Record<string, number>;
}

export interface RunReport {
  schemaVersion: 1;
  tool: { name: 'ev-sim'; version: string };
  /** True when the run did not finish its scenario (interrupted, aborted). */
  partial: boolean;
  /** Why the run is partial, e.g. 'interrupted (SIGINT)'; null for a complete run. */
  partialReason: string | null;
  scenario: { name: string; seed: number; file: string; timeScale: number; durationMs: number };
  target: { url: string; embedded: boolean };
  run: { startedAt: string; endedAt: string; wallMs: number; simulatedMs: number };
  stations: { planned: number; connectedPeak: number; bootAccepted: number; disconnects: number };
  sessions: { planned: number; started: number; completed: number; rejected: number; failed: number };
  /** Energy of all sessions (meterStop − meterStart), Wh. */
  energyWh: number;
  sessionStats: SessionStatsReport;
  messages: { sent: number; received: number; errors: number; timeouts: number };
  /** Calls the stations made to the CSMS, by action (round-trip latency). */
  latency: Record<string, ActionReport>;
  /** Calls the CSMS made to the stations, by action (latency = the station's handling time). */
  incoming: Record<string, ActionReport>;
  /** Findings of the embedded CSMS; null when an external CSMS was the target. */
  csms: { schemaViolations: number } | null;
}
