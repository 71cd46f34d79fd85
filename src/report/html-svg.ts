/**
 * Line charts as inline SVG, drawn without a chart library: axes with ticks, grid, one path per series
 * (a null value breaks the line), shaded bands (fault windows), an HTML legend, and hover data for the
 * report's small tooltip script. Readable without the script and in print.
 */
import { esc } from './html-util.js';
import { seriesStyle } from './html-style.js';

export interface Tick {
  value: number;
  label: string;
}

export interface Axis {
  min: number;
  max: number;
  ticks: Tick[];
  title: string;
}

export interface Series {
  label: string;
  /** [x, y] in data units, x ascending; y null = no data (the line breaks). */
  points: [number, number | null][];
}

/** A shaded x range; from === to draws a marker line. */
export interface Band {
  from: number;
  to: number;
  label: string;
}

/** Tooltip text per x position (data units). */
export interface Tips {
  xs: number[];
  lines: string[];
}

export interface ChartSpec {
  id: string;
  title: string;
  /** One sentence for screen readers. */
  desc: string;
  x: Axis;
  y: Axis;
  series: Series[];
  bands?: Band[];
  tips?: Tips;
  /** Show the legend (default: when there are several series). */
  legend?: boolean;
  /** viewBox size: 'wide' for a full-width chart, 'small' for one of two side by side (default wide). */
  size?: 'wide' | 'small';
}

/** The drawing area: viewBox size and margins around the plot. */
interface Frame {
  w: number;
  h: number;
  left: number;
  top: number;
  plotW: number;
  plotH: number;
}

function frameFor(size: 'wide' | 'small'): Frame {
  const [w, h] = size === 'small' ? [520, 250] : [860, 300];
  const m = { left: 58, right: 34, top: 30, bottom: 46 };
  return { w, h, left: m.left, top: m.top, plotW: w - m.left - m.right, plotH: h - m.top - m.bottom };
}

const f1 = (n: number): string => (Math.round(n * 10) / 10).toString();

function scale(axis: Axis, length: number, flip: boolean): (v: number) => number {
  const span = axis.max - axis.min || 1;
  return (v) => {
    const t = (Math.min(Math.max(v, axis.min), axis.max) - axis.min) / span;
    return flip ? length * (1 - t) : length * t;
  };
}

/** Round-number ticks covering min..max: steps of 1, 2 or 5 × 10^k. */
export function niceTicks(min: number, max: number, target = 5, label: (v: number) => string = String, minStep = 0): Tick[] {
  if (!(max > min)) return [{ value: min, label: label(min) }];
  const rough = Math.max((max - min) / target, minStep);
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= rough - 1e-12) ?? 10 * pow;
  const ticks: Tick[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    const value = Number(v.toPrecision(12));
    ticks.push({ value, label: label(value) });
  }
  return ticks;
}

/** The top of a y axis from 0: a round number at or above `max` (1 when there is no data). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(max));
  return ([1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * pow).find((v) => v >= max) ?? 10 * pow);
}

function axes(spec: ChartSpec, F: Frame, sx: (v: number) => number, sy: (v: number) => number): string {
  const xt = spec.x.ticks
    .map((t) => {
      const x = f1(F.left + sx(t.value));
      return `<line class="grid" x1="${x}" x2="${x}" y1="${F.top}" y2="${F.top + F.plotH}"/>` +
        `<text class="tick" x="${x}" y="${F.top + F.plotH + 16}" text-anchor="middle">${esc(t.label)}</text>`;
    })
    .join('');
  const yt = spec.y.ticks
    .map((t) => {
      const y = f1(F.top + sy(t.value));
      return `<line class="grid" x1="${F.left}" x2="${F.left + F.plotW}" y1="${y}" y2="${y}"/>` +
        `<text class="tick" x="${F.left - 6}" y="${y}" dy="0.32em" text-anchor="end">${esc(t.label)}</text>`;
    })
    .join('');
  const frame = `<rect class="frame" x="${F.left}" y="${F.top}" width="${F.plotW}" height="${F.plotH}"/>`;
  const xTitle = `<text class="axis-title" x="${F.left + F.plotW / 2}" y="${F.h - 8}" text-anchor="middle">${esc(spec.x.title)}</text>`;
  const yTitle = `<text class="axis-title" x="${F.left}" y="${F.top - 10}" text-anchor="start">${esc(spec.y.title)}</text>`;
  return `<g class="axes">${xt}${yt}${frame}${xTitle}${yTitle}</g>`;
}

function bandsSvg(bands: Band[], x: Axis, F: Frame, sx: (v: number) => number): string {
  // A fault the run did not reach (stopped early) has no place on the chart.
  return bands
    .filter((b) => b.from <= x.max && b.to >= x.min)
    .map((b, i) => {
      const x1 = F.left + sx(b.from);
      const width = Math.max(2, F.left + sx(b.to) - x1);
      const labelY = F.top + 12 + (i % 3) * 12;
      return `<g class="band"><title>${esc(b.label)}</title>` +
        `<rect x="${f1(x1)}" y="${F.top}" width="${f1(width)}" height="${F.plotH}"/>` +
        `<text x="${f1(x1 + 3)}" y="${labelY}">${esc(b.label)}</text></g>`;
    })
    .join('');
}

/** Path data for a series: consecutive non-null points joined, a lone point as a dot. */
function seriesSvg(s: Series, index: number, F: Frame, sx: (v: number) => number, sy: (v: number) => number): string {
  const style = seriesStyle(index);
  const parts: string[] = [];
  const dots: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length === 1) dots.push(run[0]);
    if (run.length > 0) parts.push(`M${run.join('L')}`);
    run = [];
  };
  for (const [x, y] of s.points) {
    if (y === null || !Number.isFinite(y)) flush();
    else run.push(`${f1(F.left + sx(x))},${f1(F.top + sy(y))}`);
  }
  flush();
  const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
  const path = `<path class="series" data-series="${esc(s.label)}" d="${parts.join('') || 'M0,0'}" stroke="${style.color}"${dash}><title>${esc(s.label)}</title></path>`;
  const marks = dots
    .map((d) => {
      const [cx, cy] = d.split(',');
      return `<circle class="dot" cx="${cx}" cy="${cy}" r="2.5" fill="${style.color}"/>`;
    })
    .join('');
  return path + marks;
}

function legendHtml(series: Series[]): string {
  const items = series
    .map((s, i) => {
      const st = seriesStyle(i);
      const line = `border-top: 3px ${st.dash ? 'dashed' : 'solid'} ${st.color}`;
      return `<li><span class="swatch" style="${line}"></span>${esc(s.label)}</li>`;
    })
    .join('');
  return `<ul class="legend">${items}</ul>`;
}

function tipsAttr(spec: ChartSpec, F: Frame, sx: (v: number) => number): string {
  if (!spec.tips || spec.tips.xs.length === 0) return '';
  const data = { x: spec.tips.xs.map((x) => Number(f1(F.left + sx(x)))), t: spec.tips.lines, top: F.top, h: F.plotH };
  return ` data-tip="${esc(JSON.stringify(data))}"`;
}

/** A figure holding the chart's SVG and, when useful, its legend. */
export function renderChart(spec: ChartSpec): string {
  const F = frameFor(spec.size ?? 'wide');
  const sx = scale(spec.x, F.plotW, false);
  const sy = scale(spec.y, F.plotH, true);
  const titleId = `${spec.id}-title`;
  const descId = `${spec.id}-desc`;
  const showLegend = spec.legend ?? spec.series.length > 1;
  const svg =
    `<svg class="chart" data-chart="${esc(spec.id)}" viewBox="0 0 ${F.w} ${F.h}" role="img" ` +
    `aria-labelledby="${esc(titleId)} ${esc(descId)}" preserveAspectRatio="xMidYMid meet"${tipsAttr(spec, F, sx)}>` +
    `<title id="${esc(titleId)}">${esc(spec.title)}</title><desc id="${esc(descId)}">${esc(spec.desc)}</desc>` +
    axes(spec, F, sx, sy) +
    bandsSvg(spec.bands ?? [], spec.x, F, sx) +
    `<g class="lines">${spec.series.map((s, i) => seriesSvg(s, i, F, sx, sy)).join('')}</g>` +
    `<line class="crosshair" x1="0" x2="0" y1="${F.top}" y2="${F.top + F.plotH}" visibility="hidden"/>` +
    `</svg>`;
  const legend = showLegend ? legendHtml(spec.series) : '';
  return `<figure class="chart-box" id="${esc(spec.id)}"><figcaption>${esc(spec.title)}</figcaption>${svg}${legend}</figure>`;
}
