/**
 * The one seeded generator: model training, simulations, benchmarks and demo data give the same result
 * for the same seed on every machine and Node version, which Math.random cannot give.
 *
 * mulberry32: a small, fast generator with a 32-bit state, deterministic across platforms.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same generator with the draws that generated data needs. */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One element, with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** log-uniform integer in [min, max]: prices and weights spread over orders of magnitude. */
  logUniformInt(min: number, max: number): number;
  /** A fixed-length string of decimal digits. */
  digits(length: number): string;
}

/**
 * A generator for one named stream of a seed (e.g. "buyer:42"): each stream draws independently of the
 * others, so adding draws to one stream leaves every other stream's values as they were.
 */
export function createSeededRandom(seed: number, stream = ''): SeededRandom {
  const next = seededRandom(streamSeed(seed, stream));
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (items) => {
      let total = 0;
      for (const [, weight] of items) total += weight;
      let target = next() * total;
      for (const [item, weight] of items) {
        target -= weight;
        if (target < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    logUniformInt: (min, max) => {
      const low = Math.log(Math.max(1, min));
      const high = Math.log(Math.max(1, max));
      return Math.min(max, Math.max(min, Math.round(Math.exp(low + next() * (high - low)))));
    },
    digits: (length) => {
      let text = '';
      for (let index = 0; index < length; index++) text += Math.floor(next() * 10);
      return text;
    },
  };
}

/** Seed and stream label hashed into one 32-bit state (cyrb-style mixing), so nearby seeds diverge at once. */
function streamSeed(seed: number, stream: string): number {
  let h1 = 1779033703 ^ seed;
  let h2 = 3144134277 ^ Math.imul(seed, 0x9e3779b1);
  for (let index = 0; index < stream.length; index++) {
    const code = stream.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}
