/**
 * mulberry32: a small, fast, seedable PRNG, the one source of reproducible randomness (training splits,
 * bootstrap intervals, the demo data, simulations). The sequence for a seed is part of persisted results
 * (demo data, benchmark figures), so the algorithm must not change; seeded-random.test.ts pins it.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
