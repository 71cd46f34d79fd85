/**
 * Plain-text layout for the terminal summary. Everything is measured on plain strings and coloured
 * afterwards, so ANSI escapes never count towards a line's width.
 */

/** Applies a colour/style to already laid-out text. */
export type Paint = (text: string) => string;

export const plain: Paint = (text) => text;

/** A piece of text with an optional style. */
export interface Span {
  text: string;
  paint?: Paint;
}

const LABEL_WIDTH = 11;

/** Cuts `text` to `width` characters, marking the cut with '~'. */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(0, Math.max(0, width)) : `${text.slice(0, width - 1)}~`;
}

/** Splits text into lines of at most `width` characters, at spaces where possible. */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= w) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    let rest = word;
    while (rest.length > w) {
      lines.push(rest.slice(0, w));
      rest = rest.slice(w);
    }
    line = rest;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** `Label      value`, the value wrapped under itself when it does not fit. */
export function labelled(label: string, value: Span, width: number, paintLabel: Paint): string[] {
  const pad = ' '.repeat(LABEL_WIDTH);
  const paint = value.paint ?? plain;
  return wrapText(value.text, width - LABEL_WIDTH).map((chunk, i) =>
    i === 0 ? paintLabel(label.padEnd(LABEL_WIDTH)) + paint(chunk) : pad + paint(chunk),
  );
}

/** `Label      item  item  item`, items flowing onto further lines when the width is reached. */
export function flow(label: string, items: Span[], width: number, paintLabel: Paint): string[] {
  const room = width - LABEL_WIDTH;
  const lines: string[] = [];
  let used = 0;
  let current = '';
  for (const item of items) {
    const text = truncate(item.text, room);
    if (used > 0 && used + 2 + text.length > room) {
      lines.push(current);
      current = '';
      used = 0;
    }
    const sep = used === 0 ? '' : '  ';
    current += sep + (item.paint ?? plain)(text);
    used += sep.length + text.length;
  }
  lines.push(current);
  return lines.map((line, i) => (i === 0 ? paintLabel(label.padEnd(LABEL_WIDTH)) : ' '.repeat(LABEL_WIDTH)) + line);
}
