/**
 * A problem found while validating, before it is given a file position. `path` addresses the value in
 * the parsed YAML (keys and sequence indexes); `at: 'key'` points the error at the mapping key instead of
 * its value (unknown keys). When the path does not exist (a missing key) the error points at the
 * deepest mapping that does.
 */
export interface Issue {
  path: PathSegment[];
  message: string;
  at: 'key' | 'value';
}

export type PathSegment = string | number;

export function issue(path: PathSegment[], message: string, at: Issue['at'] = 'value'): Issue {
  return { path, message, at };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `['fleet', 'connectors', 1, 'maxPowerKw']` → `fleet.connectors[1].maxPowerKw`. */
export function formatPath(path: PathSegment[]): string {
  let text = '';
  for (const seg of path) {
    if (typeof seg === 'number') text += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) text += text ? `.${seg}` : seg;
    else text += `[${JSON.stringify(seg)}]`;
  }
  return text;
}
