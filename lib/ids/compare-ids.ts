/**
 * Numeric order of BIGINT ids held as strings (as PostgreSQL prints them: canonical decimal, no sign, no
 * leading zeros) or as bigints: "9" < "10". Two strings compare by length, then lexicographically, without
 * allocating — diffs of snapshot indexes compare millions of ids. Returns -1, 0 or 1.
 */
export function compareIds(a: string | bigint, b: string | bigint): number {
  if (typeof a === "string" && typeof b === "string") {
    return Math.sign(a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0);
  }
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
