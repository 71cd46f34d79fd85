import type { IdTagPattern } from './raw.js';

const N_TOKEN = /\{n(?::(\d+))?\}/g;

/** `TAG-{n:4}` with n = 7 → `TAG-0007`; `{n}` is not padded. */
export function renderTag(pattern: string, n: number): string {
  return pattern.replace(N_TOKEN, (_m, width?: string) => (width ? String(n).padStart(Number(width), '0') : String(n)));
}

/** A list as written, or the `count` tags a pattern names (1..count). */
export function expandIdTags(value: readonly string[] | IdTagPattern): string[] {
  if (Array.isArray(value)) return [...value];
  const { pattern, count } = value as IdTagPattern;
  return Array.from({ length: count }, (_, i) => renderTag(pattern, i + 1));
}
