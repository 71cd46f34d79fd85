/**
 * Registration and authorisation: the CSMS accepts a booting charge point (or keeps it Pending and
 * then accepts it, the charger retrying after the interval it was given), tells it a heartbeat interval
 * and a sane clock, and tells a known idTag from an unknown one.
 */
import type { AuthorizeConf, BootNotificationConf } from '../ocpp/payloads.js';
import { authorize, heartbeat } from '../ocpp/payloads.js';
import type { ConformanceCase } from './case.js';
import { clockProblem, offsetSeconds } from './clock-check.js';
import type { CaseContext } from './context.js';
import { check } from './halt.js';
import { fail, pass, type Outcome } from './types.js';

function judgeAcceptedBoot(ctx: CaseContext, conf: BootNotificationConf, pendingFirst: number): Outcome {
  const interval = conf.interval;
  if (!Number.isInteger(interval) || interval <= 0) {
    return fail(`BootNotification Accepted with heartbeat interval ${JSON.stringify(interval)}; expected an integer > 0`);
  }
  const clock = clockProblem('BootNotification reply', conf.currentTime, ctx.now());
  if (clock) return fail(clock);
  const pending = pendingFirst > 0 ? ` after ${pendingFirst} Pending repl${pendingFirst === 1 ? 'y' : 'ies'}` : '';
  return pass(`Accepted${pending}; heartbeat interval ${interval} s; CSMS clock offset ${offsetSeconds(conf.currentTime, ctx.now())} s`);
}

const bootAccepted: ConformanceCase = {
  id: 'boot-accepted',
  title: 'BootNotification is Accepted (Pending retried after its interval) with a heartbeat interval and the current time',
  reference: 'OCPP 1.6 §4.2',
  run: async (ctx) => {
    const st = ctx.station();
    await st.connect();
    const boot = await st.boot();
    if (!boot.accepted) return fail(`the station was not Accepted: ${boot.why}`);
    for (const reply of boot.replies.slice(0, -1)) {
      check(Number.isInteger(reply.interval) && reply.interval >= 0, `Pending reply has no usable retry interval (${JSON.stringify(reply.interval)})`);
    }
    return judgeAcceptedBoot(ctx, boot.replies[boot.replies.length - 1], boot.replies.length - 1);
  },
};

const heartbeatTime: ConformanceCase = {
  id: 'heartbeat-current-time',
  title: 'Heartbeat is answered with the current time',
  reference: 'OCPP 1.6 §4.6',
  run: async (ctx) => {
    const st = ctx.station();
    await st.ready();
    const conf = await st.request<{ currentTime?: unknown }>('Heartbeat', heartbeat());
    const clock = clockProblem('Heartbeat reply', conf.currentTime, ctx.now());
    return clock ? fail(clock) : pass(`currentTime ${String(conf.currentTime)} (offset ${offsetSeconds(conf.currentTime, ctx.now())} s)`);
  },
};

async function authorizeTag(ctx: CaseContext, idTag: string): Promise<string> {
  const st = ctx.station();
  await st.ready();
  const conf = await st.request<AuthorizeConf>('Authorize', authorize(idTag));
  return String(conf.idTagInfo?.status);
}

const authKnown: ConformanceCase = {
  id: 'auth-known-accepted',
  title: 'Authorize accepts a known idTag',
  reference: 'OCPP 1.6 §4.1',
  run: async (ctx) => {
    const idTag = ctx.knownIdTag();
    const status = await authorizeTag(ctx, idTag);
    return status === 'Accepted' ? pass(`${idTag}: Accepted`) : fail(`known idTag ${idTag} answered ${status}, not Accepted`);
  },
};

const authUnknown: ConformanceCase = {
  id: 'auth-unknown-rejected',
  title: 'Authorize does not accept an unknown idTag',
  reference: 'OCPP 1.6 §4.1',
  run: async (ctx) => {
    const idTag = ctx.shared.unknownIdTag;
    const status = await authorizeTag(ctx, idTag);
    return status !== 'Accepted' ? pass(`${idTag}: ${status}`) : fail(`unknown idTag ${idTag} answered Accepted`);
  },
};

export const BOOT_AUTH_CASES: readonly ConformanceCase[] = [bootAccepted, heartbeatTime, authKnown, authUnknown];
