/**
 * Small building blocks of the HTML report. Every value that comes from a report goes through `esc`
 * (text and attribute values alike); only strings this module family builds itself are inserted raw,
 * wrapped as `{ html }` so raw markup is always visible at the call site.
 */

/** Markup that is already safe to insert. */
export interface Html {
  html: string;
}

/** A table cell: text (escaped), a number (formatted by the caller beforehand if needed), or markup. */
export type Cell = string | number | null | undefined | Html | { text: string; className: string };

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}

export const raw = (html: string): Html => ({ html });

function isHtml(cell: Cell): cell is Html {
  return typeof cell === 'object' && cell !== null && 'html' in cell;
}

function renderCell(cell: Cell, tagName: 'td' | 'th', numeric: boolean): string {
  const num = numeric ? ' class="num"' : '';
  if (cell === null || cell === undefined) return `<${tagName} class="empty">–</${tagName}>`;
  if (isHtml(cell)) return `<${tagName}${num}>${cell.html}</${tagName}>`;
  if (typeof cell === 'number') return `<${tagName} class="num">${esc(cell)}</${tagName}>`;
  if (typeof cell === 'object') return `<${tagName} class="${esc(cell.className)}">${esc(cell.text)}</${tagName}>`;
  return `<${tagName}${num}>${esc(cell)}</${tagName}>`;
}

export interface TableOptions {
  caption?: string;
  className?: string;
  /** Header indexes whose columns hold numbers (right-aligned). */
  numeric?: number[];
}

/** A table with a header row; the first cell of each body row is a row header. */
export function table(headers: string[], rows: Cell[][], opts: TableOptions = {}): string {
  const numeric = new Set(opts.numeric ?? []);
  const head = headers.map((h, i) => `<th scope="col"${numeric.has(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell, i) => renderCell(cell, i === 0 ? 'th' : 'td', numeric.has(i))).join('')}</tr>`)
    .join('\n');
  const caption = opts.caption ? `<caption>${esc(opts.caption)}</caption>` : '';
  const cls = opts.className ? ` class="${esc(opts.className)}"` : '';
  return `<div class="table-wrap"><table${cls}>${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/** A titled section with an anchor. */
export function section(id: string, title: string, body: string, intro?: string): string {
  const lead = intro ? `<p class="intro">${esc(intro)}</p>` : '';
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>${lead}\n${body}\n</section>`;
}

/** A short note in place of content that the report does not have. */
export function note(text: string): string {
  return `<p class="note">${esc(text)}</p>`;
}

/** An axis tick: 200 → "200", 2.5 → "2.5", 12000 → "12,000". */
export function fmtTick(n: number): string {
  const rounded = Number(n.toPrecision(6));
  return Math.abs(rounded) >= 1000 ? rounded.toLocaleString('en-US') : String(rounded);
}

/** Rounds for display without trailing noise: 12.345678 → "12.346". */
export function fmtNum(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Number(n.toFixed(digits)));
}

/** A status badge that reads without colour: "PASS" / "FAIL". */
export function badge(pass: boolean, passText = 'PASS', failText = 'FAIL'): Html {
  return raw(`<span class="badge ${pass ? 'pass' : 'fail'}">${esc(pass ? passText : failText)}</span>`);
}
