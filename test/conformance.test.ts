/**
 * `runConformance` against ev-sim's embedded CSMS (every case passes), against a scripted CSMS that
 * answers wrongly (the cases notice), and the catalogue's own rules: case selection, identities,
 * the answers a conformance station gives to CSMS-initiated calls.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ocppRpc from 'ocpp-rpc';
import schemas from 'ocpp-rpc/lib/schemas/ocpp1_6.json' with { type: 'json' };
import { WebSocketServer, type WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { caseIds, UnknownCaseError } from '../src/conformance/catalogue.js';
import { MAX_IDENTITY_CHARS, stationIdentity } from '../src/conformance/identity.js';
import { answerCsmsCall } from '../src/conformance/responder.js';
import { runConformance } from '../src/conformance/run.js';
import type { ConformanceResult } from '../src/conformance/types.js';
import { startCsms, type CsmsHandle } from '../src/csms/server.js';
import { CSMS_TO_CP_ACTIONS } from '../src/ocpp/actions.js';
import { createRngRoot } from '../src/util/rng.js';

const KNOWN = 'KNOWN-TAG-1';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function embedded(): Promise<CsmsHandle> {
  const csms = await startCsms({ host: '127.0.0.1', port: 0, acceptedIdTags: [KNOWN] });
  closers.push(() => csms.close());
  return csms;
}

const verdicts = (r: ConformanceResult) => Object.fromEntries(r.cases.map((c) => [c.id, c.verdict]));
const byId = (r: ConformanceResult, id: string) => r.cases.find((c) => c.id === id)!;

/** Sends CSMS-initiated calls to `identity` as soon as it is connected (bounded); resolves with the replies. */
async function callWhenConnected(csms: CsmsHandle, identity: string, calls: [string, object][]): Promise<unknown[]> {
  for (let i = 0; i < 400; i++) {
    try {
      const replies: unknown[] = [];
      for (const [action, payload] of calls) replies.push(await csms.sendCall(identity, action, payload));
      return replies;
    } catch (err) {
      if (!String(err).includes('not connected')) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`${identity} never connected`);
}

describe('conformance against the embedded CSMS', () => {
  it('passes every case; the busy-connector case needs a ledger; CSMS calls are answered and reported', async () => {
    const csms = await embedded();
    const seed = 99;
    const listener = stationIdentity(createRngRoot(seed), 'csms-initiated-calls');
    const run = runConformance({ csmsUrl: csms.url, idTag: KNOWN, seed });
    const replies = await callWhenConnected(csms, listener, [
      ['GetConfiguration', { key: ['HeartbeatInterval'] }],
      ['TriggerMessage', { requestedMessage: 'Heartbeat' }],
    ]);
    const result = await run;
    expect(replies).toEqual([{ configurationKey: [], unknownKey: ['HeartbeatInterval'] }, { status: 'NotImplemented' }]);
    const expected = Object.fromEntries(caseIds().map((id) => [id, id === 'start-busy-connector' ? 'skipped' : 'pass']));
    expect(verdicts(result)).toEqual(expected);
    expect(byId(result, 'csms-initiated-calls').reason).toBe('2 calls from the CSMS answered (GetConfiguration, TriggerMessage)');
    expect(result).toMatchObject({ target: csms.url, seed, ledgerUrl: null });
    expect(result.durationMs).toBeGreaterThan(0);
    // Every case talked to the CSMS under its own identity.
    const stations = new Set(result.cases.flatMap((c) => c.evidence.frames.map((f) => f.station)));
    expect(stations.size).toBe(result.cases.length);
  });

  it('with the embedded ledger the transaction cases check what the CSMS stored', async () => {
    const csms = await embedded();
    const only = ['session-full', 'stop-twice-not-stored-twice', 'start-retransmit-no-duplicate', 'offline-start', 'offline-stop', 'offline-whole-transaction'];
    const result = await runConformance({ csmsUrl: csms.url, idTag: KNOWN, ledgerUrl: `${csms.httpUrl}/transactions`, only });
    expect(result.cases.map((c) => c.id)).toEqual(only);
    for (const c of result.cases) {
      expect(c.verdict, `${c.id}: ${c.reason}`).toBe('pass');
      expect(c.evidence.notes.some((n) => n.startsWith('ledger rows')), c.id).toBe(true);
    }
    expect(byId(result, 'offline-whole-transaction').reason).toMatch(/the ledger holds it once with the values sent/);
  });

  it('skips the cases that need a known idTag when none is given', async () => {
    const csms = await embedded();
    const result = await runConformance({ csmsUrl: csms.url, only: ['auth-known-accepted', 'session-full', 'auth-unknown-rejected'] });
    expect(verdicts(result)).toEqual({ 'auth-known-accepted': 'skipped', 'session-full': 'skipped', 'auth-unknown-rejected': 'pass' });
    expect(byId(result, 'session-full').reason).toMatch(/--id-tag/);
  });
});

describe('conformance catalogue', () => {
  it('rejects unknown case ids, naming them and listing the valid ones', async () => {
    const err = await runConformance({ csmsUrl: 'ws://127.0.0.1:1', only: ['session-full', 'no-such-case'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownCaseError);
    expect((err as Error).message).toMatch(/unknown conformance case id: no-such-case\. Valid ids: boot-accepted, .*csms-initiated-calls/);
  });

  it('fails the cases, not the run, when the CSMS cannot be reached', async () => {
    const port = await freePort();
    const result = await runConformance({ csmsUrl: `ws://127.0.0.1:${port}/ocpp`, only: ['boot-accepted', 'call-unknown-action'], callTimeoutMs: 2000 });
    expect(verdicts(result)).toEqual({ 'boot-accepted': 'fail', 'call-unknown-action': 'fail' });
    expect(byId(result, 'boot-accepted').reason).toMatch(/could not connect to ws:\/\/127\.0\.0\.1:\d+\/ocpp\/EVSIM-CT-boot-accepted-/);
  });

  it('gives every case its own identity of at most 48 characters, reproducible by seed', () => {
    const root = createRngRoot(5);
    const ids = caseIds().flatMap((id) => [stationIdentity(root, id), stationIdentity(root, id, 2)]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(MAX_IDENTITY_CHARS);
    expect(stationIdentity(createRngRoot(5), 'session-full')).toBe(stationIdentity(root, 'session-full'));
    expect(stationIdentity(createRngRoot(6), 'session-full')).not.toBe(stationIdentity(root, 'session-full'));
    expect(stationIdentity(root, 'x'.repeat(80)).length).toBe(MAX_IDENTITY_CHARS);
  });

  it('answers every CSMS-initiated 1.6 action schema-valid, or with NotSupported / NotImplemented', () => {
    const validator = ocppRpc.createValidator('ocpp1.6', schemas as object);
    for (const action of CSMS_TO_CP_ACTIONS) {
      const answer = answerCsmsCall(action, action === 'GetConfiguration' ? { key: ['A', 'B'] } : {});
      if ('result' in answer) expect(() => validator.validate(`urn:${action}.conf`, answer.result), action).not.toThrow();
      else expect(answer.error, action).toBe('NotSupported');
    }
    expect(answerCsmsCall('NoSuchAction', {})).toMatchObject({ error: 'NotImplemented' });
  });
});

/**
 * A CSMS scripted to get things wrong: BootNotification with heartbeat interval 0, an Authorize
 * reply with a field the schema forbids, the socket closed on a frame that is not JSON, GenericError
 * for a broken CALL, NotSupported for an unknown action, and a CALLRESULT for a wrongly typed payload.
 */
async function scriptedCsms(): Promise<string> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, handleProtocols: () => 'ocpp1.6' });
  wss.on('connection', (ws: WebSocket) => ws.on('message', (data) => answerScripted(ws, data.toString())));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
}

function answerScripted(ws: WebSocket, text: string): void {
  let frame: unknown[];
  try {
    frame = JSON.parse(text) as unknown[];
  } catch {
    ws.close(1002, 'not JSON');
    return;
  }
  const [, id, action, payload] = frame as [number, string, string | undefined, { idTag?: unknown }];
  const reply = (result: object) => ws.send(JSON.stringify([3, id, result]));
  const error = (code: string) => ws.send(JSON.stringify([4, id, code, '', {}]));
  if (action === undefined) return error('GenericError');
  if (action === 'BootNotification') return reply({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 0 });
  if (action === 'Heartbeat') return reply({ currentTime: new Date().toISOString() });
  if (action === 'Authorize') return reply({ idTagInfo: { status: 'Accepted' }, note: typeof payload.idTag });
  error('NotSupported');
}

describe('conformance against a CSMS that answers wrongly', () => {
  it('fails exactly the cases whose question was answered wrongly, saying what was wrong', async () => {
    const url = await scriptedCsms();
    const only = ['boot-accepted', 'heartbeat-current-time', 'auth-known-accepted', 'frame-not-json', 'frame-bad-shape', 'call-unknown-action', 'call-wrong-payload-type'];
    const result = await runConformance({ csmsUrl: url, idTag: KNOWN, only, callTimeoutMs: 1000 });
    const reasons = Object.fromEntries(result.cases.map((c) => [c.id, `${c.verdict}: ${c.reason}`]));
    expect(reasons).toEqual({
      'boot-accepted': expect.stringMatching(/^fail: BootNotification Accepted with heartbeat interval 0; expected an integer > 0$/),
      'heartbeat-current-time': expect.stringMatching(/^pass: /),
      'auth-known-accepted': expect.stringMatching(/^fail: Authorize reply violates the OCA 1\.6 schema \(PropertyConstraintViolation/),
      'frame-not-json': 'fail: the CSMS closed the connection instead of answering',
      'frame-bad-shape': 'fail: answered CALLERROR GenericError; OCPP-J 1.6 §4.2.3 calls for FormationViolation or ProtocolError',
      'call-unknown-action': 'fail: answered CALLERROR NotSupported; OCPP-J 1.6 §4.2.3 calls for NotImplemented',
      'call-wrong-payload-type': 'fail: answered with CALLRESULT; expected CALLERROR TypeConstraintViolation or FormationViolation',
    });
    const notJson = byId(result, 'frame-not-json').evidence;
    expect(notJson.frames.at(-1)).toMatchObject({ dir: 'sent', text: expect.stringContaining('this is not JSON') });
    expect(notJson.notes.some((n) => /the CSMS closed the connection \(code 1002, not JSON\)/.test(n))).toBe(true);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
