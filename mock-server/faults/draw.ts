import type { DelaySpec } from './schema.js';

/**
 * Random draws keyed by (seed, rule, route, ordinal, purpose) instead of a shared stream: a rule's
 * decision for the 3rd POST on a route does not depend on how many GETs ran on other routes in
 * between, so a run replays even when unrelated traffic interleaves differently.
 */
export function unitDraw(seed: number, ...parts: (string | number)[]): number {
  // FNV-1a over the key, then murmur3's finaliser to spread the bits
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const key = parts.join('\u0000');
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** A delay in whole ms from the rule's distribution; log-normal via Box–Muller on two keyed draws. */
export function sampleDelay(spec: DelaySpec, draw: (purpose: string) => number): number {
  switch (spec.dist) {
    case 'fixed':
      return spec.ms;
    case 'uniform':
      return Math.round(spec.minMs + draw('uniform') * (spec.maxMs - spec.minMs));
    case 'lognormal': {
      const u1 = Math.max(draw('u1'), Number.EPSILON);
      const u2 = draw('u2');
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      const value = Math.round(spec.medianMs * Math.exp(spec.sigma * z));
      return spec.maxMs !== undefined ? Math.min(value, spec.maxMs) : value;
    }
  }
}
