import type { FaultConfig, FaultTiming, StationSelector } from './types.js';
import type { DurationValue, FaultFile, SelectorValue } from './raw.js';
import { FAULT_DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';

/** `all` → `{ all: true }`; a mapping (exactly one key after validation) is copied. */
export function normaliseSelector(value: SelectorValue): StationSelector {
  if (value === 'all') return { all: true };
  if ('share' in value) return { share: value.share };
  if ('list' in value) return { list: [...value.list] };
  if ('pattern' in value) return { pattern: value.pattern };
  return { group: value.group };
}

export function normaliseGroups(groups: Readonly<Record<string, SelectorValue>>): Record<string, StationSelector> {
  const out: Record<string, StationSelector> = {};
  for (const [name, selector] of Object.entries(groups)) out[name] = normaliseSelector(selector);
  return out;
}

/**
 * One schema-valid fault in the Scenario's form: durations in ms, defaults filled in. A fault that
 * runs past the end of the run is kept as written; the run cuts it (the loader warns).
 */
export function normaliseFault(f: FaultFile): FaultConfig {
  const d = FAULT_DEFAULTS;
  const timing: FaultTiming = { atMs: ms(f.at), durationMs: f.kind === 'reboot' ? 0 : ms(f.duration) };
  if (f.kind === 'outage') return { kind: 'outage', ...timing };
  const stations = normaliseSelector(f.stations ?? d.stations);
  switch (f.kind) {
    case 'partition':
      return { kind: 'partition', ...timing, mode: f.mode ?? d.mode, stations };
    case 'flapping':
      return { kind: 'flapping', ...timing, mode: f.mode ?? d.mode, downMs: ms(f.down), upMs: ms(f.up), stations };
    case 'latency':
      return { kind: 'latency', ...timing, ms: num(f.ms), jitterMs: ms(f.jitter ?? d.jitter), stations };
    case 'loss': {
      const messages = f.messages ? [...f.messages] : null;
      return { kind: 'loss', ...timing, share: num(f.share), direction: f.direction ?? d.direction, messages, stations };
    }
    case 'reboot':
      return { kind: 'reboot', ...timing, keepQueue: f.keepQueue ?? d.keepQueue, stations };
  }
}

function ms(value: DurationValue | undefined): number {
  const n = parseDuration(value);
  if (n === null) throw new Error(`invalid duration ${JSON.stringify(value)} reached normalisation`);
  return n;
}

function num(value: number | undefined): number {
  if (typeof value !== 'number') throw new Error(`missing number ${JSON.stringify(value)} reached normalisation`);
  return value;
}
