/**
 * Just enough of the Chrome DevTools Protocol to open a page in headless chromium, collect what went
 * wrong (exceptions, console errors, log errors such as CSP violations, network requests), evaluate
 * expressions, move the mouse and take screenshots. Test support only.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

type Json = Record<string, unknown>;
interface Pending {
  resolve: (v: Json) => void;
  reject: (e: Error) => void;
}

export interface PageProblems {
  exceptions: string[];
  consoleErrors: string[];
  logErrors: string[];
  requests: string[];
}

export interface BrowserPage {
  problems: PageProblems;
  navigate(url: string): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
  mouseMove(x: number, y: number): Promise<void>;
  /** The viewport, the whole page (`fullPage`), or a region of the page (`clip`, page coordinates). */
  screenshot(opts?: { fullPage?: boolean; clip?: { x: number; y: number; width: number; height: number } }): Promise<Buffer>;
  close(): Promise<void>;
}

const DEVTOOLS = /DevTools listening on (ws:\/\/\S+)/;

function waitForEndpoint(proc: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`chromium gave no DevTools endpoint in ${timeoutMs} ms:\n${seen.slice(-2000)}`)), timeoutMs);
    proc.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const m = DEVTOOLS.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited (${code}) before listening:\n${seen.slice(-2000)}`));
    });
  });
}

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Starts headless chromium with a throw-away profile and opens one blank page. */
export async function openPage(chromium: string, size = { width: 1200, height: 2000 }): Promise<BrowserPage> {
  const profile = await mkdtemp(join(tmpdir(), 'ev-sim-chromium-'));
  const proc = spawn(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', `--user-data-dir=${profile}`, '--remote-debugging-address=127.0.0.1',
    '--remote-debugging-port=0', `--window-size=${size.width},${size.height}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let ws: WebSocket | null = null;
  try {
    ws = await connect(await waitForEndpoint(proc, 20_000));
    return await attach(ws, size, async () => {
      ws?.close();
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
      await rm(profile, { recursive: true, force: true });
    });
  } catch (err) {
    ws?.close();
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await exited;
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
}

interface Cdp {
  send(method: string, params?: Json): Promise<Json>;
  on(method: string, fn: (params: Json) => void): void;
  /** Later commands go to this page session (undefined: to the browser). */
  useSession(id: string | undefined): void;
}

function createCdp(ws: WebSocket): Cdp {
  let nextId = 1;
  let sessionId: string | undefined;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, ((params: Json) => void)[]>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { id?: number; method?: string; params?: Json; result?: Json; error?: { message: string } };
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result ?? {});
    } else if (msg.method) {
      for (const fn of listeners.get(msg.method) ?? []) fn(msg.params ?? {});
    }
  });
  ws.on('close', () => {
    for (const p of pending.values()) p.reject(new Error('DevTools connection closed'));
    pending.clear();
  });
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      }),
    on: (method, fn) => listeners.set(method, [...(listeners.get(method) ?? []), fn]),
    useSession: (id) => {
      sessionId = id;
    },
  };
}

async function attach(ws: WebSocket, size: { width: number; height: number }, shutdown: () => Promise<void>): Promise<BrowserPage> {
  const { send, on, useSession } = createCdp(ws);
  const problems: PageProblems = { exceptions: [], consoleErrors: [], logErrors: [], requests: [] };
  const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
  useSession(((await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string }).sessionId);
  collectProblems(on, problems);
  for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await send(`${domain}.enable`);
  await send('Emulation.setDeviceMetricsOverride', { ...size, deviceScaleFactor: 1, mobile: false });

  async function evaluate<T>(expression: string): Promise<T> {
    const r = (await send('Runtime.evaluate', { expression, returnByValue: true })) as { result: { value: T }; exceptionDetails?: Json };
    if (r.exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(r.exceptionDetails)}`);
    return r.result.value;
  }

  return {
    problems,
    navigate: (url) =>
      new Promise<void>((resolve, reject) => {
        on('Page.loadEventFired', () => resolve());
        send('Page.navigate', { url }).catch(reject);
      }),
    evaluate,
    mouseMove: async (x, y) => {
      await send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
    },
    screenshot: async (opts = {}) => {
      const clip = opts.clip
        ? { ...opts.clip, scale: 1 }
        : opts.fullPage
          ? { x: 0, y: 0, width: size.width, height: await evaluate<number>('document.documentElement.scrollHeight'), scale: 1 }
          : undefined;
      const r = (await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: !!clip, ...(clip ? { clip } : {}) })) as { data: string };
      return Buffer.from(r.data, 'base64');
    },
    close: async () => {
      useSession(undefined);
      await Promise.race([send('Browser.close').catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
      await shutdown();
    },
  };
}

function collectProblems(on: (method: string, fn: (params: Json) => void) => void, problems: PageProblems): void {
  on('Runtime.exceptionThrown', (p) => {
    const d = p.exceptionDetails as { text?: string; exception?: { description?: string } } | undefined;
    problems.exceptions.push(d?.exception?.description ?? d?.text ?? JSON.stringify(p));
  });
  on('Runtime.consoleAPICalled', (p) => {
    if (p.type !== 'error' && p.type !== 'assert') return;
    const args = (p.args as { value?: unknown; description?: string }[] | undefined) ?? [];
    problems.consoleErrors.push(args.map((a) => String(a.value ?? a.description ?? '')).join(' '));
  });
  on('Log.entryAdded', (p) => {
    const e = p.entry as { level?: string; text?: string; url?: string } | undefined;
    if (e?.level === 'error') problems.logErrors.push(`${e.text ?? ''} ${e.url ?? ''}`.trim());
  });
  on('Network.requestWillBeSent', (p) => {
    const req = p.request as { url?: string } | undefined;
    if (req?.url) problems.requests.push(req.url);
  });
}
