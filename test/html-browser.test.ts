/**
 * Opens the HTML report in real headless chromium (driven over the DevTools protocol): it must render
 * its charts, raise no error, request nothing beyond its own file, run none of a hostile report's markup,
 * and show a hover read-out. Writes a full-page screenshot to reports/html-report.png.
 * Needs chromium (Debian: apt-get install chromium; or CHROMIUM_PATH). Skipped without it, except in CI.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../src/report/html.js';
import { findChromium, openPage } from './html-cdp.js';
import type { BrowserPage } from './html-cdp.js';
import { SENT_ACTIONS, fixtureReport } from './html-fixture.js';

const chromium = findChromium();
const skip = chromium === null && !process.env.CI;
if (skip) {
  console.warn('html-browser.test.ts skipped: chromium not found (apt-get install chromium, or set CHROMIUM_PATH); it always runs when CI is set');
}

interface ChartInfo {
  id: string;
  paths: number;
  drawnPaths: number;
  width: number;
}

describe.skipIf(skip)('HTML report in headless chromium', () => {
  let dir = '';
  let page: BrowserPage | null = null;

  beforeAll(async () => {
    if (chromium === null) throw new Error('CI is set but chromium was not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH');
    dir = await mkdtemp(join(tmpdir(), 'ev-sim-html-'));
    await writeFile(join(dir, 'report.html'), renderHtmlReport(fixtureReport({ partial: true })));
    await writeFile(join(dir, 'hostile.html'), renderHtmlReport(fixtureReport({ hostile: true, partial: true })));
    page = await openPage(chromium);
  });

  afterAll(async () => {
    await page?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders every chart without errors or requests, and shows a hover read-out', async () => {
    const p = page!;
    const url = pathToFileURL(join(dir, 'report.html')).href;
    await p.navigate(url);
    const charts = await p.evaluate<ChartInfo[]>(`[...document.querySelectorAll('svg.chart')].map((svg) => ({
      id: svg.dataset.chart,
      paths: svg.querySelectorAll('path.series').length,
      drawnPaths: [...svg.querySelectorAll('path.series')].filter((el) => el.getTotalLength() > 50).length,
      width: svg.getBoundingClientRect().width,
    }))`);
    expect(charts.map((c) => c.id)).toEqual(['pct-sent', 'pct-incoming', 'ts-connected', 'ts-active', 'ts-rate', 'ts-p95', 'ts-queue']);
    expect(charts[0].paths).toBe(Object.keys(SENT_ACTIONS).length);
    for (const c of charts) {
      expect(c.drawnPaths, c.id).toBe(c.paths);
      expect(c.width, c.id).toBeGreaterThan(300);
    }
    expect(await p.evaluate<number>(`document.querySelectorAll('#pct-sent ul.legend li').length`)).toBe(Object.keys(SENT_ACTIONS).length);

    // 62.5% across the plot of a 2-minute run: 75 s, inside the partition (queue depth 75 − 60).
    await hover(p, '#ts-queue .frame', 0.625);
    const tip = await p.evaluate<{ display: string; text: string; crosshair: string | null }>(`({
      display: getComputedStyle(document.querySelector('.tip')).display,
      text: document.querySelector('.tip').textContent,
      crosshair: document.querySelector('#ts-queue .crosshair').getAttribute('visibility'),
    })`);
    expect(tip.display).toBe('block');
    expect(tip.text).toBe('wall 1m 15s · simulated 1h 15m 00s\nqueued messages: 15');
    expect(tip.crosshair).toBe('visible');
    await hover(p, '#pct-sent .frame', 0.5);
    expect(await p.evaluate<string>(`document.querySelector('.tip').textContent`)).toMatch(/^percentile [\d.]+%\nBootNotification: [\d.]+ ms\n/);

    expect(p.problems.exceptions).toEqual([]);
    expect(p.problems.consoleErrors).toEqual([]);
    expect(p.problems.logErrors).toEqual([]);
    expect(p.problems.requests).toEqual([url]);

    const png = await p.screenshot({ fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    await mkdir(resolve('reports'), { recursive: true });
    await writeFile(resolve('reports', 'html-report.png'), png);
  });

  it('runs none of the markup a hostile report carries, and shows it as text', async () => {
    const p = page!;
    await p.navigate(pathToFileURL(join(dir, 'hostile.html')).href);
    const seen = await p.evaluate<{ pwned: unknown; scripts: number; images: number; h1: string; charts: number }>(`({
      pwned: window.__pwned ?? null,
      scripts: document.scripts.length,
      images: document.images.length,
      h1: document.querySelector('h1').textContent,
      charts: document.querySelectorAll('svg.chart').length,
    })`);
    expect(seen).toEqual({
      pwned: null,
      scripts: 1,
      images: 0,
      h1: 'ev-sim run report: depot <script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">',
      charts: 7,
    });
    expect(p.problems.exceptions).toEqual([]);
    expect(p.problems.logErrors).toEqual([]);
  });
});

/** Scrolls the element into view and moves the mouse to `fx` of its width, half its height. */
async function hover(p: BrowserPage, selector: string, fx: number): Promise<void> {
  const box = await p.evaluate<{ x: number; y: number }>(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    el.scrollIntoView({ block: 'center' });
    const r = el.getBoundingClientRect();
    return { x: r.left + r.width * ${fx}, y: r.top + r.height / 2 };
  })()`);
  await p.mouseMove(box.x, box.y);
}
