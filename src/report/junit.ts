/**
 * JUnit XML, the test-report format CI systems read (GitHub Actions test reporters, GitLab's
 * `artifacts:reports:junit`, Jenkins' junit step). A neutral model → XML writer, plus the mapping of
 * a conformance result onto it. The subset written is described by our own schema,
 * test/fixtures/junit/junit.xsd:
 *
 *   <testsuites name tests failures errors skipped time>
 *     <testsuite name tests failures errors skipped time timestamp [hostname]>
 *       <properties><property name value/>…</properties>          (when there are any)
 *       <testcase classname name time>
 *         <failure message type>body</failure> | <error message type>body</error> | <skipped message/>
 *         <system-out>…</system-out> <system-err>…</system-err>     (when there is any)
 *       </testcase>…
 *       <system-out>…</system-out>                                 (suite level, optional)
 *     </testsuite>…
 *   </testsuites>
 *
 * `time` is seconds with millisecond precision; `timestamp` is UTC without a zone designator or
 * fraction (YYYY-MM-DDTHH:MM:SS), the form Ant's JUnit schema prescribes and every reader accepts.
 * Characters XML 1.0 cannot carry (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are removed.
 */
import { evidenceText } from '../conformance/evidence.js';
import type { CaseResult, ConformanceResult } from '../conformance/types.js';

export interface JUnitOutcomeDetail {
  /** One line: shown by CI as the failure's headline. */
  message: string;
  /** A short category, e.g. 'conformance' or 'threshold'. */
  type: string;
  /** Longer text: evidence, values, log excerpt. */
  body: string;
}

export interface JUnitCase {
  /** Dotted group name; CI reporters group test cases by it. */
  classname: string;
  /** Stable name (CI history tracks a test case by classname + name). */
  name: string;
  /** Seconds. */
  time: number;
  /** The check failed. */
  failure?: JUnitOutcomeDetail;
  /** The check could not be carried out (e.g. the run aborted); counted under `errors`. */
  error?: JUnitOutcomeDetail;
  skipped?: { message: string };
  systemOut?: string;
  systemErr?: string;
}

export interface JUnitSuite {
  name: string;
  /** ISO-8601 time the suite started (written as UTC, seconds precision). */
  timestamp: string;
  /** Seconds. */
  time: number;
  hostname?: string;
  /** Name/value facts about the run (target, seed, scenario, ...), in the order given. */
  properties?: Record<string, string>;
  cases: JUnitCase[];
  systemOut?: string;
}

export interface JUnitReport {
  name: string;
  suites: JUnitSuite[];
}

// XML 1.0 Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `text` without the characters XML 1.0 cannot represent. */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, '');
}

/** Escaped for element content. */
export function escapeText(text: string): string {
  return stripInvalidXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped for a double-quoted attribute value; line breaks and tabs kept as character references. */
export function escapeAttribute(text: string): string {
  return escapeText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

const seconds = (s: number) => (Number.isFinite(s) && s > 0 ? s : 0).toFixed(3);

/** `2025-01-01T10:00:00` (UTC); an unparseable input becomes the epoch rather than invalid XML. */
export function junitTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  return new Date(Number.isNaN(ms) ? 0 : ms).toISOString().slice(0, 19);
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function countCases(cases: readonly JUnitCase[]): Counts {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.failure).length,
    errors: cases.filter((c) => !c.failure && c.error).length,
    skipped: cases.filter((c) => !c.failure && !c.error && c.skipped).length,
  };
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttribute(String(v))}"`)
    .join('');
}

const countAttrs = (c: Counts) => ({ tests: c.tests, failures: c.failures, errors: c.errors, skipped: c.skipped });

function detailXml(tag: 'failure' | 'error', d: JUnitOutcomeDetail): string {
  return `      <${tag}${attrs({ message: d.message, type: d.type })}>${escapeText(d.body)}</${tag}>`;
}

function caseXml(c: JUnitCase): string {
  const inner: string[] = [];
  if (c.failure) inner.push(detailXml('failure', c.failure));
  else if (c.error) inner.push(detailXml('error', c.error));
  else if (c.skipped) inner.push(`      <skipped${attrs({ message: c.skipped.message })}/>`);
  if (c.systemOut) inner.push(`      <system-out>${escapeText(c.systemOut)}</system-out>`);
  if (c.systemErr) inner.push(`      <system-err>${escapeText(c.systemErr)}</system-err>`);
  const open = `    <testcase${attrs({ classname: c.classname, name: c.name, time: seconds(c.time) })}`;
  return inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join('\n')}\n    </testcase>`;
}

function suiteXml(s: JUnitSuite): string {
  const head = attrs({ name: s.name, ...countAttrs(countCases(s.cases)), time: seconds(s.time), timestamp: junitTimestamp(s.timestamp), hostname: s.hostname });
  const lines = [`  <testsuite${head}>`];
  const props = Object.entries(s.properties ?? {});
  if (props.length > 0) {
    lines.push('    <properties>', ...props.map(([name, value]) => `      <property${attrs({ name, value })}/>`), '    </properties>');
  }
  lines.push(...s.cases.map(caseXml));
  if (s.systemOut) lines.push(`    <system-out>${escapeText(s.systemOut)}</system-out>`);
  lines.push('  </testsuite>');
  return lines.join('\n');
}

/** The report as a JUnit XML document (UTF-8, trailing newline). */
export function renderJUnit(report: JUnitReport): string {
  const all = report.suites.flatMap((s) => s.cases);
  const time = report.suites.reduce((sum, s) => sum + (Number.isFinite(s.time) && s.time > 0 ? s.time : 0), 0);
  const head = attrs({ name: report.name, ...countAttrs(countCases(all)), time: seconds(time) });
  const body = report.suites.map(suiteXml);
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${head}>`, ...body, '</testsuites>', ''].join('\n');
}

export const CONFORMANCE_CLASSNAME = 'ev-sim.conformance';

function conformanceCase(c: CaseResult): JUnitCase {
  const junit: JUnitCase = {
    classname: CONFORMANCE_CLASSNAME,
    name: c.id,
    time: c.durationMs / 1000,
    systemOut: `${c.title}\nreference: ${c.reference}\n${c.verdict}: ${c.reason}`,
  };
  if (c.verdict === 'fail') junit.failure = { message: c.reason, type: 'conformance', body: evidenceText(c.evidence) };
  if (c.verdict === 'skipped') junit.skipped = { message: c.reason };
  return junit;
}

/** A conformance result as one JUnit suite: one test case per conformance case, named by its id. */
export function conformanceToJUnit(result: ConformanceResult): JUnitReport {
  const properties: Record<string, string> = { target: result.target, seed: String(result.seed) };
  if (result.ledgerUrl) properties.ledger = result.ledgerUrl;
  return {
    name: 'ev-sim conformance',
    suites: [
      {
        name: 'ev-sim conformance',
        timestamp: result.startedAt,
        time: result.durationMs / 1000,
        properties,
        cases: result.cases.map(conformanceCase),
      },
    ],
  };
}
