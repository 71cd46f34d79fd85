/**
 * The JUnit XML writer: escaping, characters XML 1.0 cannot carry, counts, and conformance results
 * mapped onto it; every document checked against our schema (test/fixtures/junit/junit.xsd) with
 * xmllint (Debian package libxml2-utils).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../src/conformance/types.js';
import {
  conformanceToJUnit,
  escapeAttribute,
  escapeText,
  junitTimestamp,
  renderJUnit,
  stripInvalidXmlChars,
  type JUnitReport,
} from '../src/report/junit.js';

const JUNIT_XSD = fileURLToPath(new URL('./fixtures/junit/junit.xsd', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ev-sim-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let documents = 0;

/** xmllint's verdict on `xml` against our JUnit schema: exit status and messages. */
function validateJUnit(xml: string): { ok: boolean; output: string } {
  const file = join(dir, `doc-${++documents}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint is needed for this test (apt-get install -y libxml2-utils): ${r.error.message}`);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

const NASTY = 'a & b < c > d "quoted" \'single\'\nsecond line\ttab \u0000nul \u0007bell \u001besc \uD800lone \uFFFE ✔ 😀';

const sample: JUnitReport = {
  name: 'sample',
  suites: [
    {
      name: 'suite <one>',
      timestamp: '2025-03-04T05:06:07.890Z',
      time: 12.3456,
      hostname: 'ci-runner',
      properties: { target: 'ws://127.0.0.1:9000/ocpp?a=1&b=2', note: NASTY },
      cases: [
        { classname: 'x.y', name: 'passes', time: 0.1, systemOut: NASTY },
        { classname: 'x.y', name: 'fails', time: 0.2, failure: { message: NASTY, type: 'conformance', body: `body ${NASTY} ]]> end` } },
        { classname: 'x.y', name: 'errs', time: 0, error: { message: 'aborted', type: 'run', body: '' }, systemErr: 'stderr text' },
        { classname: 'x.y', name: 'skips', time: 0, skipped: { message: 'no idTag' } },
      ],
    },
    { name: 'empty suite', timestamp: 'not a date', time: -1, cases: [] },
  ],
};

describe('JUnit XML writer', () => {
  it('escapes markup and strips characters XML 1.0 cannot carry, keeping other Unicode', () => {
    expect(stripInvalidXmlChars(NASTY)).toBe('a & b < c > d "quoted" \'single\'\nsecond line\ttab nul bell esc lone  ✔ 😀');
    expect(escapeText('<a> & </a>')).toBe('&lt;a&gt; &amp; &lt;/a&gt;');
    expect(escapeAttribute('say "hi"\n\'x\'\t<&>')).toBe('say &quot;hi&quot;&#10;&apos;x&apos;&#9;&lt;&amp;&gt;');
    expect(junitTimestamp('2025-03-04T05:06:07.890Z')).toBe('2025-03-04T05:06:07');
  });

  it('writes counts and times on <testsuites> and each <testsuite>; the document validates', () => {
    const xml = renderJUnit(sample);
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="sample" tests="4" failures="1" errors="1" skipped="1" time="12\.346">/);
    expect(xml).toContain('<testsuite name="suite &lt;one&gt;" tests="4" failures="1" errors="1" skipped="1" time="12.346" timestamp="2025-03-04T05:06:07" hostname="ci-runner">');
    expect(xml).toContain('<testsuite name="empty suite" tests="0" failures="0" errors="0" skipped="0" time="0.000" timestamp="1970-01-01T00:00:00">');
    expect(xml).toContain('<property name="target" value="ws://127.0.0.1:9000/ocpp?a=1&amp;b=2"/>');
    expect(xml).toContain('<testcase classname="x.y" name="passes" time="0.100">');
    expect(xml).toContain('<skipped message="no idTag"/>');
    expect(xml).toContain('body a &amp; b &lt; c &gt; d "quoted"');
    expect(xml).toContain(']]&gt; end</failure>');
    expect(xml).not.toMatch(/[\u0000\u0007\u001b\uFFFE]/);
    const v = validateJUnit(xml);
    expect(v.ok, v.output).toBe(true);
  });

  it('the schema is not a rubber stamp: it rejects documents that break the format', () => {
    const good = renderJUnit(sample);
    const broken = [
      good.replace(' tests="4"', ''), // a count missing
      good.replace('failures="1"', 'failures="-1"'), // a negative count
      good.replace('<skipped message="no idTag"/>', '<skipped message="no idTag"/><bogus/>'), // an unknown element
      good.replace('<testcase classname="x.y" name="passes"', '<testcase classname="x.y"'), // a test case without a name
    ];
    for (const xml of broken) expect(validateJUnit(xml).ok).toBe(false);
  });
});

const conformance: ConformanceResult = {
  startedAt: '2025-06-01T12:00:00.000Z',
  durationMs: 2500,
  target: 'ws://127.0.0.1:9000/ocpp',
  seed: 7,
  ledgerUrl: 'http://127.0.0.1:9000/transactions',
  cases: [
    { id: 'boot-accepted', title: 'Boot', reference: 'OCPP 1.6 §4.2', verdict: 'pass', reason: 'Accepted', durationMs: 40, evidence: { frames: [], framesOmitted: 0, notes: [] } },
    {
      id: 'session-full',
      title: 'Session',
      reference: 'OCPP 1.6 §4.8',
      verdict: 'fail',
      reason: 'StopTransaction answered CALLERROR InternalError',
      durationMs: 120,
      evidence: {
        frames: [
          { dir: 'sent', station: 'EVSIM-CT-session-full-abc123', text: '[2,"cf-1","StopTransaction",{"transactionId":1}]' },
          { dir: 'received', station: 'EVSIM-CT-session-full-abc123', text: '[4,"cf-1","InternalError","\u0001boom",{}]' },
        ],
        framesOmitted: 3,
        notes: ['EVSIM-CT-session-full-abc123: connected'],
      },
    },
    { id: 'auth-known-accepted', title: 'Auth', reference: 'OCPP 1.6 §4.1', verdict: 'skipped', reason: 'no idTag the CSMS accepts was given', durationMs: 0, evidence: { frames: [], framesOmitted: 0, notes: [] } },
  ],
};

describe('conformanceToJUnit', () => {
  it('one test case per conformance case: failures carry reason and evidence, skips their reason', () => {
    const report = conformanceToJUnit(conformance);
    expect(report.suites).toHaveLength(1);
    const [pass, fail, skip] = report.suites[0].cases;
    expect(pass).toMatchObject({ classname: 'ev-sim.conformance', name: 'boot-accepted', time: 0.04 });
    expect(pass.failure).toBeUndefined();
    expect(fail.failure).toMatchObject({ message: 'StopTransaction answered CALLERROR InternalError', type: 'conformance' });
    expect(fail.failure!.body).toContain('→ EVSIM-CT-session-full-abc123 [2,"cf-1","StopTransaction"');
    expect(fail.failure!.body).toContain('← EVSIM-CT-session-full-abc123 [4,"cf-1","InternalError"');
    expect(fail.failure!.body).toContain('(3 more frames not shown)');
    expect(skip.skipped).toEqual({ message: 'no idTag the CSMS accepts was given' });
    expect(report.suites[0].properties).toEqual({ target: conformance.target, seed: '7', ledger: conformance.ledgerUrl });
    const xml = renderJUnit(report);
    expect(xml).toMatch(/<testsuites name="ev-sim conformance" tests="3" failures="1" errors="0" skipped="1" time="2\.500">/);
    const v = validateJUnit(xml);
    expect(v.ok, v.output).toBe(true);
  });
});
