/**
 * Configuration of the embedded CSMS, and its defaulted, checked form.
 */

export interface CsmsOptions {
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** idTags answered Accepted, or 'any' to accept every tag that is not blocked. */
  acceptedIdTags: string[] | 'any';
  /** idTags answered Blocked (wins over acceptedIdTags). */
  blockedIdTags?: string[];
  /** `interval` of an Accepted BootNotification reply, seconds. Default 300. */
  heartbeatIntervalS?: number;
  /** `interval` of a Pending or Rejected BootNotification reply (retry wait), seconds. Default heartbeatIntervalS. */
  bootRetryIntervalS?: number;
  /** The first N BootNotifications of each station are answered Pending. Default 0. */
  bootPendingCount?: number;
  /** Station identities whose BootNotifications are always answered Rejected. */
  rejectIdentities?: string[];
  /** Basic-auth password every station must present; null or absent = no authentication. */
  password?: string | null;
}

export interface ResolvedCsmsOptions {
  host: string;
  port: number;
  acceptedIdTags: ReadonlySet<string> | 'any';
  blockedIdTags: ReadonlySet<string>;
  heartbeatIntervalS: number;
  bootRetryIntervalS: number;
  bootPendingCount: number;
  rejectIdentities: ReadonlySet<string>;
  password: string | null;
}

export const DEFAULT_HEARTBEAT_INTERVAL_S = 300;

function nonNegativeInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0) throw new Error(`csms option ${name} must be an integer >= 0, got ${String(value)}`);
  return v;
}

function stringList(name: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) {
    throw new Error(`csms option ${name} must be a list of strings`);
  }
  return value as string[];
}

/** Applies defaults and checks every field; throws one Error naming the first bad option. */
export function resolveCsmsOptions(opts: CsmsOptions): ResolvedCsmsOptions {
  const heartbeatIntervalS = nonNegativeInt('heartbeatIntervalS', opts.heartbeatIntervalS, DEFAULT_HEARTBEAT_INTERVAL_S);
  const port = nonNegativeInt('port', opts.port, 0);
  if (port > 65535) throw new Error(`csms option port must be <= 65535, got ${port}`);
  if (opts.password !== undefined && opts.password !== null && typeof opts.password !== 'string') {
    throw new Error('csms option password must be a string or null');
  }
  if (opts.acceptedIdTags === undefined) throw new Error("csms option acceptedIdTags is required (a list or 'any')");
  return {
    host: opts.host ?? '127.0.0.1',
    port,
    acceptedIdTags: opts.acceptedIdTags === 'any' ? 'any' : new Set(stringList('acceptedIdTags', opts.acceptedIdTags)),
    blockedIdTags: new Set(stringList('blockedIdTags', opts.blockedIdTags)),
    heartbeatIntervalS,
    bootRetryIntervalS: nonNegativeInt('bootRetryIntervalS', opts.bootRetryIntervalS, heartbeatIntervalS),
    bootPendingCount: nonNegativeInt('bootPendingCount', opts.bootPendingCount, 0),
    rejectIdentities: new Set(stringList('rejectIdentities', opts.rejectIdentities)),
    password: opts.password ?? null,
  };
}
