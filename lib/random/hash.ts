/**
 * Stable, fast, non-cryptographic string hashes and the numbers in [0, 1) drawn from them: the same input
 * gives the same number on every machine and Node version. Two families, because each one's outputs are
 * persisted and changing either would silently move data (hash.test.ts pins both):
 * - `hash32` / `unitHash` (FNV-1a + murmur3 fmix32) decide the queue's random audit slice, the overlap
 *   sample and the "random" order (`lib/ranking/rank.ts`): which excerpts are gold depends on them.
 * - `hash53` / `unitHash53` (cyrb53) place rows in dataset splits and cross-fit folds (`lib/export/split.ts`,
 *   `lib/model/cross-fit.ts`): a row must stay in its split from one snapshot version to the next.
 */

/** 32-bit FNV-1a over a string: a stable, well-spread hash for sampling decisions. */
export function hash32(input: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche (murmur3 fmix32) so that consecutive ids spread uniformly
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable pseudo-random number in [0, 1) for (id, salt). */
export function unitHash(id: string | number | bigint, salt: string): number {
  return hash32(`${salt}:${id}`) / 4294967296;
}

/**
 * cyrb53: two 32-bit Murmur-style lanes, 53 bits out. Collisions only ever merge two groups, which keeps
 * splits leak-free.
 */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A 53-bit hash as a number in [0, 1): the position of a key in a seeded, stable shuffle. */
export function unitHash53(text: string, seed: string): number {
  return hash53(`${seed}\u0000${text}`) / 2 ** 53;
}
