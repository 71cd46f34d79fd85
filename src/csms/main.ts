/**
 * Child-process entry point of the embedded CSMS (the one file in src/csms that touches `process`).
 *
 * Start:  child_process.fork(<dist>/csms/main.js, [JSON.stringify(csmsOptions)])
 *         The CsmsOptions JSON is argv[2]; without it the defaults below apply (any idTag accepted,
 *         127.0.0.1, a free port). Or fork with argv[2] `--ipc` and send { type: 'start', options }.
 * Ready:  with an IPC channel the child sends { type: 'ready', url, httpUrl, port };
 *         without one it prints that object as one JSON line on stdout.
 * Failure to start: { type: 'error', message } over IPC (or that JSON line on stderr), exit code 1.
 * Stop:   SIGTERM, SIGINT, an IPC message { type: 'stop' }, or the parent disconnecting the IPC
 *         channel: the CSMS closes every connection, then the process exits with code 0.
 */
import { startCsms, type CsmsHandle } from './server.js';
import type { CsmsOptions } from './options.js';

export interface CsmsReadyMessage {
  type: 'ready';
  url: string;
  httpUrl: string;
  port: number;
}

export interface CsmsErrorMessage {
  type: 'error';
  message: string;
}

const DEFAULT_OPTIONS: CsmsOptions = { acceptedIdTags: 'any' };

function parseOptions(arg: string | undefined): CsmsOptions {
  if (arg === undefined || arg === '') return DEFAULT_OPTIONS;
  const parsed: unknown = JSON.parse(arg);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('argv[2] must be a JSON object of CsmsOptions');
  }
  return { ...DEFAULT_OPTIONS, ...(parsed as Partial<CsmsOptions>) };
}

/** Tells the parent (IPC) or the terminal (stdout/stderr); `sent` runs once the message is out. */
function report(message: CsmsReadyMessage | CsmsErrorMessage, sent?: () => void): void {
  if (process.send) {
    process.send(message, undefined, {}, () => sent?.());
    return;
  }
  const line = `${JSON.stringify(message)}\n`;
  if (message.type === 'error') process.stderr.write(line);
  else process.stdout.write(line);
  sent?.();
}

function stopOn(handle: CsmsHandle): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    handle.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.on('message', (msg: unknown) => {
    if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'stop') stop();
  });
  process.once('disconnect', stop);
}

/**
 * The options: argv[2] as JSON, or — with argv[2] `--ipc` — the first IPC message
 * `{ type: 'start', options }` (a single argument is limited to 128 KiB on Linux; long idTag lists are not).
 */
function readOptions(): Promise<CsmsOptions> {
  if (process.argv[2] !== '--ipc') return Promise.resolve(parseOptions(process.argv[2]));
  return new Promise((resolve, reject) => {
    process.once('message', (msg: { type?: string; options?: unknown }) => {
      if (msg?.type !== 'start') return reject(new Error('expected a { type: "start", options } message first'));
      try {
        resolve(parseOptions(JSON.stringify(msg.options ?? {})));
      } catch (err) {
        reject(err);
      }
    });
  });
}

async function main(): Promise<void> {
  let handle: CsmsHandle;
  try {
    handle = await startCsms(await readOptions());
  } catch (err) {
    process.exitCode = 1;
    report({ type: 'error', message: err instanceof Error ? err.message : String(err) }, () => {
      if (process.connected) process.disconnect();
    });
    return;
  }
  stopOn(handle);
  report({ type: 'ready', url: handle.url, httpUrl: handle.httpUrl, port: handle.port });
}

void main();
