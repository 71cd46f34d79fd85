import type { StationSelector } from '../scenario/types.js';
import type { RngRoot } from '../util/rng.js';
import { globToRegExp } from '../scenario/selectors.js';

/**
 * Turns a scenario's station selector into a membership test over identities. A `share` picks exactly
 * round(share × fleet) stations by a seeded shuffle, so the same seed always cuts off the same
 * stations, whatever else the scenario draws.
 */
export function selectStations(
  selector: StationSelector,
  identities: readonly string[],
  groups: Record<string, StationSelector>,
  root: RngRoot,
  label: string,
): (identity: string) => boolean {
  if ('all' in selector) return () => true;
  if ('list' in selector) return setTest(selector.list);
  if ('pattern' in selector) return globTest(selector.pattern);
  if ('group' in selector) {
    const group = groups[selector.group];
    if (!group || 'group' in group) throw new Error(`unknown or nested group "${selector.group}"`);
    return selectStations(group, identities, groups, root, `group/${selector.group}`);
  }
  return setTest(pickShare(identities, selector.share, root, label));
}

function setTest(ids: readonly string[]): (identity: string) => boolean {
  const set = new Set(ids);
  return (identity) => set.has(identity);
}

function globTest(pattern: string): (identity: string) => boolean {
  const re = globToRegExp(pattern);
  return (identity) => re.test(identity);
}

function pickShare(identities: readonly string[], share: number, root: RngRoot, label: string): string[] {
  const rng = root.stream(`select/${label}`);
  const ids = [...identities];
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return ids.slice(0, Math.round(share * ids.length));
}
