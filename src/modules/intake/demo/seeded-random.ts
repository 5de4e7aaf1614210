/**
 * A small, fast, seedable pseudo-random generator (sfc32, Chris Doty-Humphrey's "small fast counting"
 * generator). Demo data must be identical for the same seed on every machine and Node version, which
 * Math.random cannot give; sfc32 passes PractRand and costs a few integer operations per draw.
 */
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

/** The sfc32 generator seeded from a number and an optional stream label (e.g. "buyer:42"). */
export function createSeededRandom(seed: number, stream = ''): SeededRandom {
  // Hash seed and label into four 32-bit words (cyrb128-style mixing) so nearby seeds diverge at once.
  let h1 = 1779033703 ^ seed;
  let h2 = 3144134277 ^ Math.imul(seed, 0x9e3779b1);
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let index = 0; index < stream.length; index++) {
    const code = stream.charCodeAt(index);
    h1 = h2 ^ Math.imul(h1 ^ code, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ code, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ code, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ code, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
  let b = (h2 ^ h1) >>> 0;
  let c = (h3 ^ h1) >>> 0;
  let d = (h4 ^ h1) >>> 0;

  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: sfc32's state needs a few rounds to mix a low-entropy seed.
  for (let round = 0; round < 12; round++) next();

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
