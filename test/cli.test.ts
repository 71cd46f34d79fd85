import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ev-sim-cli-'));

describe('ev-sim CLI (spawned bin/ev-sim.js)', () => {
  it('--help lists every command with one line each', async () => {
    const r = await runCli(['--help']).result;
    expect(r.code).toBe(0);
    for (const cmd of ['run', 'validate', 'csms', 'init']) expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b.*\\S`, 'm'));
  });

  it('exits 2 on an unknown option or a malformed flag value', async () => {
    expect((await runCli(['run', 'test/fixtures/cli/tiny.yaml', '--bogus']).result).code).toBe(2);
    const r = await runCli(['run', 'test/fixtures/cli/tiny.yaml', '--stations', 'many']).result;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--stations');
  });

  it('validate: exit 104 with every problem at file:line:column', async () => {
    const r = await runCli(['validate', 'test/fixtures/cli/broken.yaml']).result;
    expect(r.code).toBe(104);
    expect(r.stderr).toMatch(/broken\.yaml:4:\d+ fleet\.stations: /);
    expect(r.stderr).toMatch(/broken\.yaml:5:\d+ fleet\.conectors: .*did you mean "connectors"/);
    expect(r.stderr).toMatch(/broken\.yaml:6:\d+ duration: /);
  });

  it('run refuses an invalid scenario with 104 before touching the network', async () => {
    const r = await runCli(['run', 'test/fixtures/cli/broken.yaml']).result;
    expect(r.code).toBe(104);
    expect(r.stdout).toBe('');
  });

  it('validate: exit 0 for the shipped scenarios', async () => {
    for (const file of ['scenarios/quickstart.yaml']) {
      const r = await runCli(['validate', file]).result;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('valid');
    }
  });

  it('run: completes sessions against the embedded CSMS, prints the summary, writes the report, exits 0', async () => {
    const out = join(tmp(), 'report.json');
    const r = await runCli(['run', 'test/fixtures/cli/tiny.yaml', '--out', out, '--quiet']).result;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Sessions\s+planned \d+/);
    expect(r.stdout).not.toMatch(/\x1b\[/); // NO_COLOR is set by runCli
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report).toMatchObject({ schemaVersion: 1, partial: false, scenario: { name: 'tiny', seed: 3 }, target: { embedded: true } });
    expect(report.sessions.completed).toBeGreaterThan(0);
    expect(report.sessions.completed).toBe(report.sessions.planned);
    expect(report.latency.StartTransaction.count).toBe(report.sessions.completed);
    expect(report.csms.schemaViolations).toBe(0);
    expect(report.health.sendDelayMs.count).toBeGreaterThan(0);
    expect(typeof report.health.saturated).toBe('boolean');
    expect(report.health.eventLoopDelayMs.p99).toBeGreaterThanOrEqual(0);
    // The fleet process's own peak: a Node process with a fleet in it holds more than 20 MB.
    expect(report.health.peakRssMb).toBeGreaterThan(20);
    expect(r.stdout).toMatch(/^ev-sim\s+event loop p99.*peak RSS \d+ MB/m);
  });

  it('run: flags override the file (--seed, --stations, --duration)', async () => {
    const out = join(tmp(), 'report.json');
    const r = await runCli(['run', 'test/fixtures/cli/tiny.yaml', '--out', out, '--quiet', '--seed', '9', '--stations', '2', '--duration', '4m']).result;
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.scenario.seed).toBe(9);
    expect(report.stations.planned).toBe(2);
    expect(report.scenario.durationMs).toBe(240_000);
  });

  it('run: Ctrl-C writes a partial report and exits 105', async () => {
    const out = join(tmp(), 'partial.json');
    const run = runCli(['run', 'test/fixtures/cli/long.yaml', '--out', out, '--quiet']);
    await run.waitFor(/LONG|ev-sim/);
    await new Promise((r) => setTimeout(r, 1500));
    run.kill('SIGINT');
    const r = await run.result;
    expect(r.code, r.stderr).toBe(105);
    expect(existsSync(out)).toBe(true);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.partial).toBe(true);
    expect(report.partialReason).toMatch(/SIGINT/);
    expect(r.stdout).toMatch(/partial/i);
  });

  it('run: exits 106 when no station can reach the CSMS', async () => {
    const out = join(tmp(), 'unreachable.json');
    // Port 9 on loopback (discard) has no listener here: every connection is refused.
    const r = await runCli(['run', 'test/fixtures/cli/tiny.yaml', '--csms', 'ws://127.0.0.1:9/ocpp', '--duration', '20s', '--out', out, '--quiet']).result;
    expect(r.code, r.stderr).toBe(106);
    expect(r.stderr).toMatch(/no station could connect/);
  });

  it('init writes a starter scenario that validates, and will not overwrite without --force', async () => {
    const dir = tmp();
    const file = join(dir, 'mine.yaml');
    expect((await runCli(['init', file]).result).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^# yaml-language-server: \$schema=.*scenario\.schema\.json/m);
    expect((await runCli(['validate', file]).result).code).toBe(0);
    const again = await runCli(['init', file]).result;
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect((await runCli(['init', file, '--force']).result).code).toBe(0);
  });

  it('run: a failed threshold exits 99 and shows up in the summary, JUnit and the report', async () => {
    const dir = tmp();
    const out = join(dir, 'r.json');
    const junit = join(dir, 'r.xml');
    const r = await runCli(['run', 'test/fixtures/cli/thresholds.yaml', '--out', out, '--junit', junit, '--quiet']).result;
    expect(r.code, r.stderr).toBe(99);
    expect(r.stdout).toMatch(/FAIL\s+sessions\.completed > 1000000/);
    expect(r.stdout).toMatch(/pass\s+duplicates\.count == 0/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.thresholds.map((t: { pass: boolean }) => t.pass)).toEqual([true, false]);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testcase classname="ev-sim.thresholds" name="sessions.completed &gt; 1000000"[^>]*>\s*<failure/);
  });

  it('report: renders HTML and JUnit from a JSON report; refuses a file that is not one (103)', async () => {
    const dir = tmp();
    const out = join(dir, 'r.json');
    expect((await runCli(['run', 'test/fixtures/cli/tiny.yaml', '--out', out, '--quiet', '--duration', '3m']).result).code).toBe(0);
    const html = join(dir, 'r.html');
    const r = await runCli(['report', out, '--html', html, '--junit', join(dir, 'r.xml')]).result;
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect(r.stdout).toMatch(/Sessions\s+planned/);
    const bad = await runCli(['report', 'package.json', '--html', html]).result;
    expect(bad.code).toBe(103);
    expect(bad.stderr).toMatch(/not an ev-sim run report/);
  });

  it('run --workers 2: two processes share the fleet; the merged report has the same plan as one process', async () => {
    const dir = tmp();
    const one = join(dir, 'one.json');
    const two = join(dir, 'two.json');
    expect((await runCli(['run', 'test/fixtures/cli/tiny.yaml', '--out', one, '--quiet']).result).code).toBe(0);
    const r = await runCli(['run', 'test/fixtures/cli/tiny.yaml', '--out', two, '--quiet', '--workers', '2']).result;
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(readFileSync(one, 'utf8'));
    const b = JSON.parse(readFileSync(two, 'utf8'));
    expect(b.sessions.planned).toBe(a.sessions.planned);
    expect(b.stations.planned).toBe(4);
    expect(b.sessions.completed).toBe(b.sessions.planned);
    expect(b.target.embedded).toBe(true);
    expect(b.reconciliation.csmsLedger.transactions).toBe(b.sessions.completed);
    expect(b.mergeNotes[0]).toMatch(/2 worker processes/);
  });

  it('run --workers 2: Ctrl-C reaches every worker; the merged partial report is written and the exit is 105', async () => {
    const out = join(tmp(), 'partial-workers.json');
    const run = runCli(['run', 'test/fixtures/cli/long.yaml', '--out', out, '--quiet', '--workers', '2']);
    await run.waitFor(/in 2 workers/);
    await new Promise((r) => setTimeout(r, 2500));
    run.kill('SIGINT');
    const r = await run.result;
    expect(r.code, r.stderr).toBe(105);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.partial).toBe(true);
    expect(report.stations.planned).toBe(3);
  });
});
