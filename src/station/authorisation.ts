/**
 * Authorising a driver's idTag: Authorize while online; while offline (socket down, or the call timed
 * out) a local decision from the authorisation cache and the offline keys (OCPP 1.6 §3.5, §4.8):
 * a cached Accepted tag with LocalAuthorizeOffline, an unknown tag with AllowOfflineTxForUnknownId.
 * The cache learns from every idTagInfo the CSMS returns (Authorize, StartTransaction).
 */
import { CallFailure } from '../ocpp/connection.js';
import { authorize, type AuthorizationStatus, type AuthorizeConf, type IdTagInfo } from '../ocpp/payloads.js';
import { DISCONNECTED, TIMEOUT } from '../metrics/types.js';
import { isOnline, type Session, type StationContext } from './context.js';

export interface CachedTag {
  status: AuthorizationStatus;
  /** Simulated epoch ms after which an Accepted entry no longer authorises; null = no expiry. */
  expiresAt: number | null;
}

/** idTag → what the CSMS last said about it; oldest first (insertion order). */
export type AuthCache = Map<string, CachedTag>;

/** Entries a station keeps; the least recently learnt one goes first. */
const MAX_CACHED_TAGS = 256;

export const OFFLINE_NOT_AUTHORISED = 'offline, not authorised';

/** Records the CSMS's answer about an idTag (when AuthorizationCacheEnabled). */
export function learnIdTag(ctx: StationContext, idTag: string, info: IdTagInfo | undefined): void {
  if (!info || !ctx.config.getBool('AuthorizationCacheEnabled')) return;
  const cache = (ctx.authCache ??= new Map());
  cache.delete(idTag);
  if (cache.size >= MAX_CACHED_TAGS) cache.delete(cache.keys().next().value as string);
  const expiry = info.expiryDate === undefined ? NaN : Date.parse(info.expiryDate);
  cache.set(idTag, { status: info.status, expiresAt: Number.isFinite(expiry) ? expiry : null });
}

/** ClearCache. */
export function clearAuthCache(ctx: StationContext): void {
  ctx.authCache = null;
}

/** The offline decision: may a transaction start for `idTag` without asking the CSMS? */
export function authorisedOffline(ctx: StationContext, idTag: string): boolean {
  const known = ctx.config.getBool('AuthorizationCacheEnabled') ? ctx.authCache?.get(idTag) : undefined;
  if (!known) return ctx.config.getBool('AllowOfflineTxForUnknownId');
  const valid = known.status === 'Accepted' && (known.expiresAt === null || known.expiresAt > ctx.clock.now());
  return valid && ctx.config.getBool('LocalAuthorizeOffline');
}

/** A failure that means "no answer from the CSMS" rather than "the CSMS could not process it". */
export function isConnectivityFailure(err: unknown): boolean {
  return err instanceof CallFailure && (err.code === TIMEOUT || err.code === DISCONNECTED);
}

/**
 * Authorises the session's idTag. False (with `s.rejection` set) when refused; throws CallFailure on a
 * CALLERROR from the CSMS.
 */
export async function authoriseSession(ctx: StationContext, s: Session): Promise<boolean> {
  const idTag = s.record.idTag;
  if (isOnline(ctx)) {
    try {
      const conf = await ctx.conn.call<AuthorizeConf>('Authorize', authorize(idTag));
      learnIdTag(ctx, idTag, conf.idTagInfo);
      if (conf.idTagInfo.status === 'Accepted') return true;
      s.rejection = `Authorize ${conf.idTagInfo.status}`;
      return false;
    } catch (err) {
      if (!isConnectivityFailure(err)) throw err;
    }
  }
  if (authorisedOffline(ctx, idTag)) return true;
  s.rejection = OFFLINE_NOT_AUTHORISED;
  return false;
}
