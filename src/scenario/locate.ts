import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Issue, PathSegment } from './issues.js';

export interface Position {
  line: number;
  column: number;
}

/**
 * Where an issue sits in the YAML source: at its value, at its key (`at: 'key'`, unknown keys, and
 * empty values, which have no text of their own), or at the deepest mapping or list on the path that
 * exists (a missing required key points at its parent).
 */
export function locateIssue(doc: Document, lines: LineCounter, found: Issue): Position {
  let node: Node | null = asNode(doc.contents);
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < found.path.length; i++) {
    const step = child(doc, node, found.path[i]);
    if (!step) break;
    const last = i === found.path.length - 1;
    const pointAtKey = step.key !== null && (isEmpty(step.value) || (found.at === 'key' && last));
    offset = (pointAtKey ? step.key?.range?.[0] : step.value?.range?.[0]) ?? offset;
    node = step.value;
  }
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

interface Step {
  key: Node | null;
  value: Node | null;
}

function child(doc: Document, parent: Node | null, seg: PathSegment): Step | null {
  const node = parent && isAlias(parent) ? asNode(parent.resolve(doc)) : parent;
  if (isMap(node)) {
    const pair = node.items.find((p) => keyText(p.key) === String(seg));
    return pair ? { key: asNode(pair.key), value: asNode(pair.value) } : null;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = asNode(node.items[seg]);
    return item ? { key: null, value: item } : null;
  }
  return null;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function asNode(value: unknown): Node | null {
  return value && typeof value === 'object' && 'range' in value ? (value as Node) : null;
}

/** A key with nothing after the colon: its null scalar has an empty range, often on the next line. */
function isEmpty(node: Node | null): boolean {
  if (!node) return true;
  return isScalar(node) && node.value === null && (!node.range || node.range[0] === node.range[1]);
}
