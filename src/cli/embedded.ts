import { fork, type ChildProcess } from 'node:child_process';
import type { Scenario } from '../scenario/types.js';
import type { CsmsOptions } from '../csms/options.js';
import { CliError, EXIT } from './exit-codes.js';

/** Where a run sends its stations, and how to tidy up afterwards. */
export interface Target {
  url: string;
  embedded: boolean;
  /** The embedded CSMS's HTTP base (ledger, stats); null for an external CSMS. */
  httpUrl: string | null;
  /** What the embedded CSMS noticed about the traffic; null for an external CSMS. */
  stats(): Promise<{ schemaViolations: number } | null>;
  close(): Promise<void>;
}

export function externalTarget(url: string): Target {
  return { url, embedded: false, httpUrl: null, stats: async () => null, close: async () => undefined };
}

const CHILD = new URL('../csms/main.js', import.meta.url);
const START_TIMEOUT_MS = 15_000;

/**
 * Starts ev-sim's CSMS in a child process (its own event loop, so it does not distort the fleet's
 * measurements) on a free loopback port, knowing the scenario's idTags.
 */
export async function startEmbeddedCsms(scenario: Scenario): Promise<Target> {
  const options: CsmsOptions = {
    host: '127.0.0.1',
    port: 0,
    acceptedIdTags: scenario.sessions.idTags.known,
    blockedIdTags: scenario.sessions.idTags.blocked,
  };
  // Options go over IPC: a long idTag list would not fit in one command-line argument.
  const child = fork(CHILD, ['--ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  child.send({ type: 'start', options });
  const ready = await waitReady(child);
  return {
    url: ready.url,
    embedded: true,
    httpUrl: ready.httpUrl,
    stats: () => fetchStats(ready.httpUrl),
    close: () => stopChild(child),
  };
}

function waitReady(child: ChildProcess): Promise<{ url: string; httpUrl: string }> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new CliError(`the embedded CSMS did not start: ${why}`, EXIT.TARGET_UNREACHABLE));
    };
    const timer = setTimeout(() => fail(`no answer within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code) => fail(`it exited with code ${code}`));
    child.on('message', (msg: { type: string; url?: string; httpUrl?: string; message?: string }) => {
      if (msg.type === 'ready' && msg.url && msg.httpUrl) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ url: msg.url, httpUrl: msg.httpUrl });
      } else if (msg.type === 'error') fail(msg.message ?? 'unknown error');
    });
  });
}

async function fetchStats(httpUrl: string): Promise<{ schemaViolations: number } | null> {
  try {
    const res = await fetch(`${httpUrl}/stats`);
    const body = (await res.json()) as { schemaViolations: number };
    return { schemaViolations: body.schemaViolations };
  } catch {
    return null;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    if (child.connected) child.send({ type: 'stop' });
    else child.kill('SIGTERM');
  });
}
