/**
 * A text table whose first column (a name) is left-aligned and flexible and whose other columns are
 * right-aligned numbers. A name too long for its column gets a line of its own above its numbers, so
 * no line exceeds the width.
 */
import { plain, truncate } from './layout.js';
import type { Paint, Span } from './layout.js';

const INDENT = '  ';
const GAP = '  ';
const MIN_NAME_WIDTH = 6;

function cell(span: Span, width: number, align: 'left' | 'right'): string {
  const pad = ' '.repeat(Math.max(0, width - span.text.length));
  const text = (span.paint ?? plain)(span.text);
  return align === 'left' ? text + pad : pad + text;
}

function columnWidths(headers: string[], rows: Span[][]): number[] {
  return headers.map((h, i) => rows.reduce((w, row) => Math.max(w, row[i]?.text.length ?? 0), h.length));
}

/** Lines of the table; `rows[i][0]` is the name, the rest numbers already formatted. */
export function renderTable(headers: string[], rows: Span[][], width: number, paintHeader: Paint): string[] {
  const widths = columnWidths(headers, rows);
  const numbersWidth = widths.slice(1).reduce((sum, w) => sum + GAP.length + w, 0);
  const nameWidth = Math.max(MIN_NAME_WIDTH, Math.min(widths[0], width - INDENT.length - numbersWidth));
  const numbers = (row: Span[]) =>
    row
      .slice(1)
      .map((span, i) => GAP + cell(span, widths[i + 1], 'right'))
      .join('');

  const headerSpans = headers.map((text) => ({ text, paint: paintHeader }));
  const lines = [INDENT + cell({ ...headerSpans[0], text: truncate(headers[0], nameWidth) }, nameWidth, 'left') + numbers(headerSpans)];
  for (const row of rows) {
    const name = row[0];
    if (name.text.length <= nameWidth) {
      lines.push(INDENT + cell(name, nameWidth, 'left') + numbers(row));
      continue;
    }
    const ownLine = { ...name, text: truncate(name.text, width - INDENT.length) };
    lines.push(INDENT + cell(ownLine, 0, 'left'));
    lines.push(INDENT + ' '.repeat(nameWidth) + numbers(row));
  }
  return lines;
}
