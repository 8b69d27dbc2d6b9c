/**
 * Stable, fast string hashes (cyrb53: two 32-bit Murmur-style lanes, 53 bits out). The same input gives
 * the same number on every machine and Node version, which is what split assignment needs. Not
 * cryptographic; collisions only ever merge two groups, which keeps splits leak-free.
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
export function unitHash(text: string, seed: string): number {
  return hash53(`${seed}\u0000${text}`) / 2 ** 53;
}
