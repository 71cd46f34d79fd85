/**
 * `ev-sim merge` as a user runs it: the built CLI (npm run build first) spawned on shard report files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/report/types.js';
import { playFleet, reportOf, reportsOf, scenario } from './merge-fixtures.js';
import { runCli } from './support/cli.js';

describe('ev-sim merge (spawned bin/ev-sim.js)', () => {
  let dir: string;
  let files: string[];
  let failing: string[];
  let shards: RunReport[];
  const write = (name: string, data: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ev-sim-merge-'));
    const fleet = playFleet(6, 3);
    shards = reportsOf(fleet, { thresholds: ['sessions.completed >= 24'] }).shards;
    files = shards.map((r, i) => write(`shard-${i + 1}.json`, r));
    failing = reportsOf(fleet, { thresholds: ['sessions.completed > 24'] }).shards.map((r, i) => write(`failing-${i + 1}.json`, r));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the merged JSON, JUnit and HTML reports and exits 0 when the thresholds pass', async () => {
    const out = join(dir, 'out', 'merged.json');
    const [junit, html] = [join(dir, 'merged.xml'), join(dir, 'merged.html')];
    const r = await runCli(['merge', files[2], files[0], files[1], '--out', out, '--junit', junit, '--html', html]).result;
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse(readFileSync(out, 'utf8')) as RunReport;
    expect(merged.sessions).toEqual({ planned: 24, started: 24, completed: 24, rejected: 0, failed: 0 });
    expect(merged.shard).toBeNull();
    expect(merged.merged!.shards.map((s) => [s.index, s.file])).toEqual([[1, files[0]], [2, files[1]], [3, files[2]]]);
    expect(merged.thresholds).toEqual([expect.objectContaining({ expression: 'sessions.completed >= 24', pass: true })]);
    expect(r.stdout).toMatch(/Sessions\s+planned 24/);
    expect(r.stderr).toContain('note: stations.connectedPeak is the sum');
    expect(readFileSync(junit, 'utf8')).toContain('<testsuite');
    expect(readFileSync(html, 'utf8')).toContain('<html');
  });

  it('exits 99 when a threshold fails on the merged figures', async () => {
    const r = await runCli(['merge', ...failing, '--out', join(dir, 'failing.json')]).result;
    expect(r.code, r.stderr).toBe(99);
    const merged = JSON.parse(readFileSync(join(dir, 'failing.json'), 'utf8')) as RunReport;
    expect(merged.thresholds).toEqual([expect.objectContaining({ pass: false, actual: 24 })]);
  });

  it('exits 2 listing the missing shards; --allow-partial merges them, marked partial (exit 105)', async () => {
    const out = join(dir, 'partial.json');
    const [r, p] = await Promise.all([
      runCli(['merge', files[1], '--out', join(dir, 'refused.json')]).result,
      runCli(['merge', files[1], '--out', out, '--allow-partial']).result,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('shards 1/3, 3/3 missing');
    expect(existsSync(join(dir, 'refused.json'))).toBe(false);
    expect(p.code, p.stderr).toBe(105);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ partial: true, partialReason: 'shards 1/3, 3/3 missing' });
  });

  it('exits 2 for a duplicate shard or another scenario', async () => {
    const other = write('other.json', reportOf(playFleet(1, 1).shards[0], { shard: { index: 3, count: 3 }, scenario: scenario({ name: 'other' }) }));
    const [dup, r] = await Promise.all([
      runCli(['merge', files[0], files[0], files[1], files[2], '--out', join(dir, 'x.json')]).result,
      runCli(['merge', files[0], files[1], other, '--out', join(dir, 'x.json')]).result,
    ]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('shard 1/3 given twice');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/other\.json: scenario "other" .* differs from/);
  });

  it('exits 103 for a file that is not an ev-sim report, or not there', async () => {
    const notJson = write('notes.txt', 'hello');
    const foreign = write('foreign.json', { tool: { name: 'k6' } });
    const broken = write('broken.json', { ...shards[0], stations: null });
    const cases = [[notJson, 'not JSON'], [foreign, 'not an ev-sim run report'], [broken, 'stations is missing'], [join(dir, 'nope.json'), 'cannot read']];
    const results = await Promise.all(cases.map(([file]) => runCli(['merge', files[0], file, '--out', join(dir, 'x.json')]).result));
    cases.forEach(([file, why], i) => {
      expect(results[i].code, file).toBe(103);
      expect(results[i].stderr).toContain(why);
    });
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });
});
