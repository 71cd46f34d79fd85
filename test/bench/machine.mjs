/** What the benchmark ran on, and the operating-system limits that bound the fleet sizes. */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export function describeMachine(now = new Date()) {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    ramBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: now.toISOString(),
    openFiles: openFileLimits(),
    ephemeralPorts: ephemeralPortCount(),
  };
}

/** Soft and hard limit on open files per process (Linux /proc), or nulls elsewhere. */
function openFileLimits() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const [soft, hard] = line.replace('Max open files', '').trim().split(/\s+/);
    return { soft: toLimit(soft), hard: toLimit(hard) };
  } catch {
    return { soft: null, hard: null };
  }
}

function toLimit(s) {
  return s === 'unlimited' ? Infinity : Number(s);
}

/** Local ports available for outgoing connections to one address (Linux), or null. */
function ephemeralPortCount() {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return hi - lo + 1;
  } catch {
    return null;
  }
}

/**
 * Sockets one process may hold: each fleet and CSMS process needs one file descriptor per station
 * (plus a few dozen for itself), and every station needs a local port towards the one CSMS address.
 * Returns a reason when `stations` does not fit, else null.
 */
export function socketBudgetProblem(machine, stations) {
  const reserve = 100;
  const { soft } = machine.openFiles;
  if (soft !== null && stations + reserve > soft) {
    return `${stations} stations need ${stations + reserve} open files in the fleet process and as many in the CSMS process; the limit is ${soft} (ulimit -n)`;
  }
  if (machine.ephemeralPorts !== null && stations > machine.ephemeralPorts) {
    return `${stations} stations need as many local ports towards 127.0.0.1; only ${machine.ephemeralPorts} are configured`;
  }
  return null;
}

let ticksPerSecond;

/** CPU time (user + system, µs) a process has used so far, from /proc/<pid>/stat; null if unreadable. */
export function processCpuMicros(pid) {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat; counting from field 3 (after the name) they are 11 and 12.
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
  } catch {
    return null;
  }
}
