import { describe, expect, it } from 'vitest';
import { selectStations } from '../src/faults/select.js';
import { startFaultTimeline } from '../src/faults/timeline.js';
import type { FaultProxy, FaultRule } from '../src/faults/proxy.js';
import { createClock } from '../src/util/clock.js';
import { createRngRoot } from '../src/util/rng.js';
import { scenarioFrom } from './support/scenario.js';

const ids = Array.from({ length: 50 }, (_, i) => `CP-${String(i + 1).padStart(2, '0')}`);

describe('station selection for faults', () => {
  it('picks exactly round(share × fleet) stations, the same ones for the same seed', () => {
    const pick = (seed: number) => ids.filter(selectStations({ share: 0.2 }, ids, {}, createRngRoot(seed), 'fault/0'));
    expect(pick(1)).toHaveLength(10);
    expect(pick(1)).toEqual(pick(1));
    expect(pick(2)).not.toEqual(pick(1));
  });

  it('supports all, list, glob pattern and named groups', () => {
    const root = createRngRoot(1);
    const groups = { edge: { pattern: 'CP-0?' }, few: { list: ['CP-10', 'CP-11'] } };
    expect(ids.filter(selectStations({ all: true }, ids, groups, root, 'a'))).toHaveLength(50);
    expect(ids.filter(selectStations({ pattern: 'CP-0?' }, ids, groups, root, 'b'))).toHaveLength(9);
    expect(ids.filter(selectStations({ group: 'few' }, ids, groups, root, 'c'))).toEqual(['CP-10', 'CP-11']);
    expect(ids.filter(selectStations({ group: 'edge' }, ids, groups, root, 'd'))).toHaveLength(9);
  });
});

describe('fault timeline', () => {
  it('applies and clears each fault on simulated time, and flapping alternates down and up', async () => {
    const scenario = scenarioFrom(`
version: 1
name: t
fleet: { stations: 50, identity: "CP-{index:2}" }
duration: 10m
faults:
  - { kind: partition, at: 1m, duration: 2m, mode: blackhole, stations: { share: 0.2 } }
  - { kind: flapping, at: 4m, duration: 3m, down: 30s, up: 60s, stations: { list: [CP-01] } }
  - { kind: outage, at: 8m, duration: 30s }
`);
    const log: string[] = [];
    let next = 0;
    const rules = new Map<number, string>();
    const proxy = {
      apply: (rule: FaultRule, match: (id: string) => boolean) => {
        const id = ++next;
        const label = `${rule.kind}${'mode' in rule ? `/${rule.mode}` : ''} on ${ids.filter(match).length}`;
        rules.set(id, label);
        log.push(`+ ${label}`);
        return id;
      },
      clear: (id: number) => log.push(`- ${rules.get(id)}`),
    } as unknown as FaultProxy;
    const clock = createClock(6000); // 10 simulated minutes in 100 ms
    const timeline = startFaultTimeline({ scenario, identities: ids, proxy, clock, root: createRngRoot(1), reboot: () => undefined });
    for (let waited = 0; log.length < 8 && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    timeline.stop();
    expect(log).toEqual([
      '+ partition/blackhole on 10',
      '- partition/blackhole on 10',
      '+ partition/refuse on 1',
      '- partition/refuse on 1',
      '+ partition/refuse on 1',
      '- partition/refuse on 1',
      '+ outage on 50',
      '- outage on 50',
    ]);
  });
});
