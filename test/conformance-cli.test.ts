/**
 * `ev-sim conformance` as a CI pipeline runs it (spawned bin/ev-sim.js; `npm run build` first): exit
 * 0 against the embedded CSMS, 98 when a case fails, 2 for an unknown case id; the JSON result and the
 * JUnit report agree, and the JUnit report validates against test/fixtures/junit/junit.xsd.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../src/conformance/types.js';
import { runCli } from './support/cli.js';
import { startMisbehavingCsms, type MisbehavingCsms } from './support/misbehaving-csms.js';

const JUNIT_XSD = fileURLToPath(new URL('./fixtures/junit/junit.xsd', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ev-sim-conformance-cli-'));
let csms: MisbehavingCsms | undefined;

afterEach(async () => {
  await csms?.close();
  csms = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function xmllint(file: string): { ok: boolean; output: string } {
  const r = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint is needed for this test (apt-get install -y libxml2-utils): ${r.error.message}`);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** The four totals of the <testsuites> element. */
function junitTotals(xml: string): Record<string, number> {
  const head = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
  const totals: Record<string, number> = {};
  for (const key of ['tests', 'failures', 'errors', 'skipped']) totals[key] = Number(new RegExp(` ${key}="(\\d+)"`).exec(head)?.[1]);
  return totals;
}

function jsonTotals(result: ConformanceResult): Record<string, number> {
  const count = (v: string) => result.cases.filter((c) => c.verdict === v).length;
  return { tests: result.cases.length, failures: count('fail'), errors: 0, skipped: count('skipped') };
}

function readOutputs(name: string): { result: ConformanceResult; xml: string } {
  const result = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as ConformanceResult;
  const xml = readFileSync(join(dir, `${name}.xml`), 'utf8');
  const v = xmllint(join(dir, `${name}.xml`));
  expect(v.ok, v.output).toBe(true);
  expect(junitTotals(xml)).toEqual(jsonTotals(result));
  return { result, xml };
}

const outputs = (name: string) => ['--out', join(dir, `${name}.json`), '--junit', join(dir, `${name}.xml`)];

describe('ev-sim conformance (spawned CLI)', () => {
  it('exits 0 against the embedded CSMS; one plain-ASCII line per case; JSON and JUnit agree', async () => {
    const r = await runCli(['conformance', ...outputs('embedded')]).result;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/conformance → ws:\/\/127\.0\.0\.1:\d+\/ocpp \(embedded CSMS\)/);
    expect(r.stdout).toMatch(/^\[pass\] boot-accepted +BootNotification is Accepted/m);
    // The embedded CSMS's ledger is used, so the busy-connector case is judged by what it stored.
    expect(r.stdout).toMatch(/^\[pass\] start-busy-connector /m);
    expect(r.stdout).toMatch(/^\[skip\] csms-initiated-calls .*\n {4}.*sent no calls/m);
    expect(r.stdout).toMatch(/^20 cases: 19 passed, 0 failed, 1 skipped in \d+\.\d s \(seed \d+\)$/m);
    expect(r.stdout).not.toMatch(/[^\x00-\x7F]|\x1b\[/); // ASCII only, no colour (NO_COLOR is set)
    const { result } = readOutputs('embedded');
    expect(result.cases).toHaveLength(20);
    expect(result.cases.every((c) => c.verdict !== 'fail')).toBe(true);
  });

  it('exits 98 when a case fails; the failure is printed with its reason and carried into JUnit', async () => {
    csms = await startMisbehavingCsms({ acceptedIdTags: ['KNOWN-TAG-1'] });
    const only = 'session-full,start-retransmit-no-duplicate,auth-unknown-rejected';
    const args = ['conformance', '--csms', csms.url, '--id-tag', 'KNOWN-TAG-1', '--ledger', csms.ledgerUrl, '--only', only, '--seed', '3'];
    const r = await runCli([...args, ...outputs('failing')]).result;
    expect(r.code, r.stderr).toBe(98);
    expect(r.stdout).toMatch(/^\[FAIL\] start-retransmit-no-duplicate .*\n {4}one StartTransaction sent twice left 2 transactions in the ledger/m);
    expect(r.stdout).toMatch(/^3 cases: 2 passed, 1 failed, 0 skipped/m);
    const { result, xml } = readOutputs('failing');
    expect(result).toMatchObject({ target: csms.url, seed: 3, ledgerUrl: csms.ledgerUrl });
    expect(result.cases.map((c) => c.id)).toEqual(['auth-unknown-rejected', 'session-full', 'start-retransmit-no-duplicate']); // catalogue order
    expect(xml).toMatch(/<testcase classname="ev-sim\.conformance" name="start-retransmit-no-duplicate" time="[\d.]+">\n\s+<failure message="one StartTransaction sent twice/);
  });

  it('exits 2 for an unknown case id, listing the valid ones', async () => {
    const r = await runCli(['conformance', '--only', 'boot-accepted,bogus-case', '--out', join(dir, 'never.json')]).result;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--only: unknown conformance case id: bogus-case\. Valid ids: boot-accepted, /);
  });
});

