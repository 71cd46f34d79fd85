/**
 * Child processes of the benchmark: every measurement runs in fresh processes, each with a hard time
 * limit, and every process started here is stopped here (by its own handle, never by name).
 */
import { fork } from 'node:child_process';
import { processCpuMicros } from './machine.mjs';

const STOP_GRACE_MS = 10_000;

/**
 * Forks `script` (a URL or path) with `args`, resolves with the first IPC message of type 'result'
 * once the child has exited; rejects on an 'error' message, a failed exit without a result, or when
 * `timeoutMs` passes (the child is killed then).
 */
export function runChild(script, args, { timeoutMs, execArgv = [] }) {
  const child = fork(script, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result = null;
    let failure = null;
    const timer = setTimeout(() => {
      failure = new Error(`${label(script)} did not finish within ${timeoutMs / 1000} s`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (msg) => {
      if (msg?.type === 'result') result = msg;
      else if (msg?.type === 'error') failure ??= new Error(`${label(script)}: ${msg.message}`);
    });
    child.once('error', (err) => (failure ??= err));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (result) return resolve(result);
      reject(new Error(`${label(script)} exited (${signal ?? code}) without a result`));
    });
  });
}

/**
 * Forks a server (`script` with `args`) that sends { type: 'ready', url } over IPC; resolves with
 * { url, cpuMicros, stop }: cpuMicros() is the CPU (µs) it has used so far; stop() asks it to close
 * ({ type: 'stop' }) and kills it if it lingers.
 */
export function startServer(script, args, { timeoutMs = 15_000, execArgv = [] } = {}) {
  const child = fork(script, args, { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${label(script)} did not start: ${why}`));
    };
    const timer = setTimeout(() => fail(`no ready message within ${timeoutMs / 1000} s`), timeoutMs);
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code) => fail(`exited with code ${code}`));
    child.on('message', (msg) => {
      if (msg?.type === 'error') return fail(msg.message);
      if (msg?.type !== 'ready') return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ url: msg.url, cpuMicros: () => processCpuMicros(child.pid), stop: () => stopChild(child) });
    });
  });
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    if (child.connected) child.send({ type: 'stop' });
    else child.kill('SIGTERM');
  });
}

function label(script) {
  return String(script).split('/').pop();
}

/** Child side: sends the result to the parent, then exits (leftover sockets and timers must not keep it). */
export function sendResult(body) {
  process.send({ type: 'result', ...body }, undefined, {}, () => process.exit(0));
}

/** Child side: reports a failure to the parent and exits with code 1. */
export function sendError(err) {
  const message = err instanceof Error ? err.stack ?? err.message : String(err);
  process.send({ type: 'error', message }, undefined, {}, () => process.exit(1));
}

/** Child side: reads the JSON options the parent passed as argv[2]; the child ends with its parent. */
export function childOptions() {
  process.once('disconnect', () => process.exit(1));
  return JSON.parse(process.argv[2] ?? '{}');
}
