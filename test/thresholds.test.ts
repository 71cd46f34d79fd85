import { describe, expect, it } from 'vitest';
import { evaluateThresholds, parseThreshold, type Threshold } from '../src/metrics/thresholds.js';

function parse(expr: string): Threshold {
  const t = parseThreshold(expr);
  if ('error' in t) throw new Error(t.error);
  return t;
}

const report = {
  latency: { StartTransaction: { p95: 812.4, count: 10 } },
  sessions: { planned: 100, started: 95, completed: 90, rejected: 5, failed: 5 },
  messages: { sent: 1000, errors: 3 },
  reconciliation: { gapCount: 0 },
};

describe('thresholds', () => {
  it('parses the documented forms and rejects malformed ones', () => {
    expect(parse('latency.StartTransaction.p95 < 800')).toMatchObject({ path: ['latency', 'StartTransaction', 'p95'], op: '<', value: 800, percent: false });
    expect(parse('sessions.failed<1%')).toMatchObject({ op: '<', value: 1, percent: true });
    expect(parseThreshold('latency.p95 ~ 3')).toHaveProperty('error');
    expect(parseThreshold('latency.StartTransaction.p95 < 1%')).toHaveProperty('error');
    expect(parseThreshold('< 5')).toHaveProperty('error');
  });

  it('evaluates against the report and explains each verdict', () => {
    const [lat, gaps, failed, errs] = evaluateThresholds(
      [parse('latency.StartTransaction.p95 < 800'), parse('reconciliation.gapCount == 0'), parse('sessions.failed < 1%'), parse('messages.errors <= 0.3%')],
      report,
    );
    expect(lat).toMatchObject({ pass: false, actual: 812.4 });
    expect(lat.detail).toContain('expected < 800');
    expect(gaps).toMatchObject({ pass: true, actual: 0 });
    expect(failed.pass).toBe(false);
    expect(failed.actual).toBeCloseTo(5, 6); // 5 of 100 ended sessions
    expect(errs).toMatchObject({ pass: true });
    expect(errs.actual).toBeCloseTo(0.3, 6);
  });

  it('fails a threshold whose metric is missing instead of passing silently', () => {
    const [r] = evaluateThresholds([parse('latency.Authorize.p95 < 100')], report);
    expect(r.pass).toBe(false);
    expect(r.actual).toBeNull();
    expect(r.detail).toMatch(/not in the report/);
  });
});
