/**
 * The lean OCPP-J connection against a scripted `ws` server on 127.0.0.1: framing, one call in flight,
 * timeouts without per-call timers, late replies, strict-mode validation in both directions, the
 * CALLERRORs incoming CALLs and malformed frames get, reconnect and keep-alive.
 */
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { CallDeadlines } from '../src/ocpp/call-timeouts.js';
import { CallFailure, callError, createConnection, type ConnectionOptions, type OcppConnection } from '../src/ocpp/connection.js';
import { createClock } from '../src/util/clock.js';
import type { CallTraceEvent } from '../src/station/types.js';
import { createRecordingObserver, type RecordingObserver } from './support/recording-observer.js';

/** One client socket as the server sees it: the frames it sent, in order. */
class Peer {
  private readonly frames: unknown[][] = [];
  private readonly waiters: ((f: unknown[]) => void)[] = [];
  constructor(
    readonly ws: WebSocket,
    readonly req: IncomingMessage,
  ) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as unknown[];
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
  }
  next(): Promise<unknown[]> {
    const f = this.frames.shift();
    return f ? Promise.resolve(f) : new Promise((resolve) => this.waiters.push(resolve));
  }
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
}

interface Server {
  url: string;
  peers: Peer[];
  nextPeer(): Promise<Peer>;
  close(): Promise<void>;
}

async function startServer(autoPong = true): Promise<Server> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong, handleProtocols: (p) => (p.has('ocpp1.6') ? 'ocpp1.6' : false) });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const peers: Peer[] = [];
  const waiters: ((p: Peer) => void)[] = [];
  wss.on('connection', (ws, req) => {
    const peer = new Peer(ws, req);
    peers.push(peer);
    waiters.shift()?.(peer);
  });
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/ocpp/`,
    peers,
    nextPeer: () => new Promise((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

let server: Server | undefined;
let conn: OcppConnection | undefined;
let deadlines: CallDeadlines;

afterEach(async () => {
  await conn?.close(50);
  await server?.close();
  expect(deadlines.running).toBe(false);
  conn = undefined;
  server = undefined;
});

interface Setup {
  conn: OcppConnection;
  peer: Peer;
  observer: RecordingObserver;
  events: string[];
  late: [string, unknown][];
  traces: CallTraceEvent[];
}

async function setUp(overrides: Partial<ConnectionOptions> = {}, autoPong = true): Promise<Setup> {
  server = await startServer(autoPong);
  deadlines = new CallDeadlines(10);
  const observer = createRecordingObserver();
  const events: string[] = [];
  const late: [string, unknown][] = [];
  const traces: CallTraceEvent[] = [];
  conn = createConnection({
    identity: 'CP 1/a',
    url: server.url,
    password: 'secret',
    callTimeoutMs: 150,
    strict: true,
    pingIntervalS: 0,
    observer,
    clock: createClock(),
    trace: (e) => traces.push(e),
    onOpen: () => events.push('open'),
    onDisconnect: () => events.push('disconnect'),
    onLateReply: (id, result) => late.push([id, result]),
    reconnectRandom: () => 0,
    deadlines,
    ...overrides,
  });
  const peer = server.nextPeer();
  await conn.connect();
  return { conn, peer: await peer, observer, events, late, traces };
}

const HEARTBEAT_REPLY = { currentTime: '2025-01-01T00:00:00.000Z' };

async function failureOf(p: Promise<unknown>): Promise<CallFailure> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CallFailure);
  return err as CallFailure;
}

describe('outgoing calls', () => {
  it('connects with the identity in the path, the ocpp1.6 subprotocol and Basic auth, and round-trips a CALL', async () => {
    const { conn, peer, observer, traces } = await setUp();
    expect(peer.req.url).toBe('/ocpp/CP%201%2Fa');
    expect(peer.ws.protocol).toBe('ocpp1.6');
    expect(peer.req.headers.authorization).toBe(`Basic ${Buffer.from('CP 1/a:secret').toString('base64')}`);
    const reply = conn.call('Heartbeat', {}, undefined, true);
    const frame = await peer.next();
    expect(frame.slice(0, 2)).toEqual([2, frame[1]]);
    expect(frame.slice(2)).toEqual(['Heartbeat', {}]);
    peer.send([3, frame[1], HEARTBEAT_REPLY]);
    expect(await reply).toEqual(HEARTBEAT_REPLY);
    expect(observer.calls).toEqual([{ direction: 'sent', action: 'Heartbeat', latencyMs: expect.any(Number) }]);
    expect(traces).toMatchObject([{ action: 'Heartbeat', payload: {}, retry: true }]);
  });

  it('keeps one CALL in flight and sends queued calls in order, each with a new message id', async () => {
    const { conn, peer } = await setUp();
    const a = conn.call('Heartbeat', {});
    const b = conn.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    const first = await peer.next();
    const second = peer.next();
    let secondSeen = false;
    void second.then(() => (secondSeen = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(secondSeen).toBe(false);
    peer.send([3, first[1], HEARTBEAT_REPLY]);
    const f2 = await second;
    expect(f2[2]).toBe('StatusNotification');
    expect(f2[1]).not.toBe(first[1]);
    peer.send([3, f2[1], {}]);
    await expect(Promise.all([a, b])).resolves.toEqual([HEARTBEAT_REPLY, {}]);
  });

  it('times out a CALL without an answer and reports the reply that comes later as a late reply', async () => {
    const { conn, peer, observer, late } = await setUp();
    const failure = await failureOf(conn.call('Heartbeat', {}));
    const frame = await peer.next();
    expect(failure).toMatchObject({ action: 'Heartbeat', code: 'Timeout', msgId: frame[1] });
    expect(observer.calls.at(-1)).toMatchObject({ action: 'Heartbeat', error: 'Timeout' });
    peer.send([3, frame[1], HEARTBEAT_REPLY]);
    // The connection stays usable: the next call goes out and its answer arrives after the late reply.
    const next = conn.call('Heartbeat', {});
    const f2 = await peer.next();
    peer.send([3, f2[1], HEARTBEAT_REPLY]);
    await next;
    expect(late).toEqual([[frame[1], HEARTBEAT_REPLY]]);
    expect(deadlines.running).toBe(true);
    await conn.close();
    expect(deadlines.running).toBe(false);
    expect(deadlines.size).toBe(0);
  });

  it('fails with the CALLERROR code, GenericError for codes OCPP does not define', async () => {
    const { conn, peer } = await setUp();
    const a = failureOf(conn.call('Heartbeat', {}));
    const f1 = await peer.next();
    peer.send([4, f1[1], 'NotSupported', 'no', {}]);
    expect((await a).code).toBe('NotSupported');
    const b = failureOf(conn.call('Heartbeat', {}));
    const f2 = await peer.next();
    peer.send([4, f2[1], 'Bogus', '', {}]);
    expect((await b).code).toBe('GenericError');
  });

  it('validates requests before sending and replies on arrival in strict mode', async () => {
    const { conn, peer, traces } = await setUp();
    const bad = await failureOf(conn.call('BootNotification', { chargePointVendor: 'V' }));
    expect(bad).toMatchObject({ code: 'OccurenceConstraintViolation', msgId: null });
    expect(traces.map((t) => t.action)).toEqual(['BootNotification']);
    const reply = failureOf(conn.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }));
    const frame = await peer.next();
    expect(frame[2]).toBe('BootNotification'); // the invalid one never reached the wire
    peer.send([3, frame[1], { status: 'Accepted', interval: 'soon' }]);
    expect((await reply).code).toBe('OccurenceConstraintViolation');
  });

  it('fails calls at once while disconnected, reconnects after the server drops the socket, ids stay unique', async () => {
    const { conn, peer, events } = await setUp();
    const inFlight = failureOf(conn.call('Heartbeat', {}));
    const f1 = await peer.next();
    const again = server!.nextPeer();
    peer.ws.terminate();
    expect((await inFlight).code).toBe('Disconnected');
    expect(events).toEqual(['open', 'disconnect']);
    expect(conn.isOpen()).toBe(false);
    expect((await failureOf(conn.call('Heartbeat', {}))).code).toBe('Disconnected');
    const peer2 = await again;
    await waitUntil(() => conn.isOpen());
    expect(events).toEqual(['open', 'disconnect', 'open']);
    const ok = conn.call('Heartbeat', {});
    const f2 = await peer2.next();
    expect(f2[1]).not.toBe(f1[1]);
    peer2.send([3, f2[1], HEARTBEAT_REPLY]);
    await ok;
  });

  it('drops a link that stops answering pings and reconnects', async () => {
    const { conn, events } = await setUp({ pingIntervalS: 0.05 }, false);
    await waitUntil(() => events.length >= 3);
    expect(events.slice(0, 3)).toEqual(['open', 'disconnect', 'open']);
    conn.setPingInterval(0);
  });

  it('keeps a link that answers pings', async () => {
    const { conn, events } = await setUp({ pingIntervalS: 0.02 });
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toEqual(['open']);
    expect(conn.isOpen()).toBe(true);
  });

  it('close() fails the call in flight and terminates a socket whose closing handshake stalls', async () => {
    const { conn, peer, events } = await setUp();
    const inFlight = failureOf(conn.call('Heartbeat', {}));
    await peer.next();
    (peer.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await conn.close(50);
    expect((await inFlight).code).toBe('Disconnected');
    expect(events).toEqual(['open', 'disconnect']);
    expect(deadlines.running).toBe(false);
  });
});

describe('incoming CALLs and frames', () => {
  async function served(): Promise<Setup> {
    const s = await setUp();
    s.conn.serve(['Reset', 'GetConfiguration', 'ClearCache', 'UnlockConnector'], (action, params) => {
      if (action === 'ClearCache') throw callError('NotSupported', 'not here');
      if (action === 'UnlockConnector') throw new Error('bug');
      if (action === 'GetConfiguration') return Promise.resolve({ configurationKey: [], unknownKey: params.key });
      return { status: params.type === 'Hard' ? 'Accepted' : 'Rejected' };
    });
    return s;
  }

  async function ask(peer: Peer, frame: unknown): Promise<unknown[]> {
    peer.send(frame);
    return peer.next();
  }

  it('answers served actions, NotImplemented for others, and maps handler errors', async () => {
    const { peer, observer } = await served();
    expect(await ask(peer, [2, 'a', 'Reset', { type: 'Hard' }])).toEqual([3, 'a', { status: 'Accepted' }]);
    expect(await ask(peer, [2, 'b', 'GetConfiguration', { key: ['X'] }])).toEqual([3, 'b', { configurationKey: [], unknownKey: ['X'] }]);
    expect((await ask(peer, [2, 'c', 'FooBar', {}])).slice(0, 3)).toEqual([4, 'c', 'NotImplemented']);
    expect(await ask(peer, [2, 'd', 'ClearCache', {}])).toEqual([4, 'd', 'NotSupported', 'not here', {}]);
    expect((await ask(peer, [2, 'e', 'UnlockConnector', { connectorId: 1 }])).slice(0, 3)).toEqual([4, 'e', 'InternalError']);
    expect(observer.calls.map((c) => [c.action, c.error])).toEqual([
      ['Reset', undefined],
      ['GetConfiguration', undefined],
      ['FooBar', 'NotImplemented'],
      ['ClearCache', 'NotSupported'],
      ['UnlockConnector', 'InternalError'],
    ]);
  });

  it('answers an invalid payload with the OCPP 1.6J constraint code', async () => {
    const { peer } = await served();
    const code = async (id: string, payload: unknown) => (await ask(peer, [2, id, 'Reset', payload])).slice(0, 3);
    expect(await code('t', { type: 5 })).toEqual([4, 't', 'TypeConstraintViolation']);
    expect(await code('o', {})).toEqual([4, 'o', 'OccurrenceConstraintViolation']);
    expect(await code('f', { type: 'Warm' })).toEqual([4, 'f', 'FormationViolation']);
    expect(await code('p', { type: 'Hard', extra: 1 })).toEqual([4, 'p', 'PropertyConstraintViolation']);
  });

  it('answers malformed frames FormationViolation when their id can be read, and never answers replies', async () => {
    const { peer } = await served();
    peer.send('[3, "zz"');
    peer.send('{"not": "a frame"}');
    peer.send([4, 5, 'x']);
    expect((await ask(peer, [2, 'm1'])).slice(0, 3)).toEqual([4, 'm1', 'FormationViolation']);
    expect((await ask(peer, '[2, "m2", "Reset", {')).slice(0, 3)).toEqual([4, 'm2', 'FormationViolation']);
    expect((await ask(peer, [9, 'm3', 'Reset', {}])).slice(0, 3)).toEqual([4, 'm3', 'FormationViolation']);
    // Nothing else was answered: the next answer is for the next CALL.
    expect(await ask(peer, [2, 'ok', 'Reset', { type: 'Soft' }])).toEqual([3, 'ok', { status: 'Rejected' }]);
  });
});

async function waitUntil(cond: () => boolean, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
