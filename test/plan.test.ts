import { describe, expect, it } from 'vitest';
import { planStationSessions } from '../src/fleet/plan.js';
import { stationIdentity, stationSpec } from '../src/fleet/identity.js';
import { createRngRoot } from '../src/util/rng.js';
import { scenarioFrom } from './support/scenario.js';

const scenario = scenarioFrom(`
version: 1
name: plan
seed: 11
fleet: { stations: 4, connectors: 2 }
sessions:
  arrivalsPerHour: 2
  plugDuration: { dist: lognormal, median: 2h, sigma: 0.8, min: 10m, max: 8h }
  idTags: { known: [A, B, C], blocked: [X], unknownShare: 0.1, blockedShare: 0.1 }
duration: 24h
`);

function plans(seed: number) {
  const root = createRngRoot(seed);
  return [1, 2, 3, 4].map((i) => planStationSessions({ ...scenario, seed }, stationSpec(scenario.fleet, i), root, 0));
}

describe('session planning', () => {
  it('expands identity patterns', () => {
    expect(stationIdentity('EVSIM-{index:4}', 7)).toBe('EVSIM-0007');
    expect(stationIdentity('cp{index}', 12)).toBe('cp12');
  });

  it('gives identical plans for one seed and different ones for another', () => {
    expect(plans(11)).toEqual(plans(11));
    expect(plans(12)).not.toEqual(plans(11));
  });

  it('keeps a connector to one car at a time and plans arrivals only inside the duration', () => {
    for (const station of plans(11)) {
      for (const c of [1, 2]) {
        const mine = station.filter((p) => p.connectorId === c);
        expect(mine.length).toBeGreaterThan(4); // 24 h: ~30 min gap + ~2 h plugged per cycle
        for (let i = 1; i < mine.length; i++) {
          expect(mine[i].arriveAtMs).toBeGreaterThanOrEqual(mine[i - 1].arriveAtMs + mine[i - 1].plugDurationMs);
        }
        for (const p of mine) expect(p.arriveAtMs).toBeLessThan(scenario.durationMs);
      }
    }
  });

  it('draws idTags from the pools in about the configured shares', () => {
    const all = plans(11).flat();
    const unknown = all.filter((p) => p.idTag.startsWith('UNKNOWN-')).length / all.length;
    const blocked = all.filter((p) => p.idTag === 'X').length / all.length;
    expect(unknown).toBeGreaterThan(0.03);
    expect(unknown).toBeLessThan(0.2);
    expect(blocked).toBeGreaterThan(0.03);
    expect(blocked).toBeLessThan(0.2);
    for (const p of all) expect(p.idTag.length).toBeLessThanOrEqual(20);
  });

  it('does not shift one station\'s plan when another station or a new kind of draw is added', () => {
    const root = createRngRoot(11);
    const alone = planStationSessions(scenario, stationSpec(scenario.fleet, 3), root, 0);
    const root2 = createRngRoot(11);
    root2.stream('some/new/kind/of/draw')();
    planStationSessions(scenario, stationSpec(scenario.fleet, 1), root2, 0);
    expect(planStationSessions(scenario, stationSpec(scenario.fleet, 3), root2, 0)).toEqual(alone);
  });
});
