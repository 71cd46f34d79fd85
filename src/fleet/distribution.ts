import type { Distribution } from '../scenario/types.js';
import { logNormal, uniform, type Rng } from '../util/rng.js';

/** Draws one value from a scenario distribution (always exactly one or two draws from `rng`). */
export function sample(d: Distribution, rng: Rng): number {
  switch (d.dist) {
    case 'fixed':
      return d.value ?? d.min;
    case 'uniform':
      return uniform(rng, d.min, d.max);
    case 'lognormal':
      return clamp(logNormal(rng, d.median ?? (d.min + d.max) / 2, d.sigma ?? 0.5), d.min, d.max);
  }
}

export function clamp(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v;
}
