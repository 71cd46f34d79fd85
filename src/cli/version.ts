import { readFileSync } from 'node:fs';

/** ev-sim's version, read from package.json (dist/cli/ → ../../package.json). */
export const TOOL_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;
