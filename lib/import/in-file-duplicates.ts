/**
 * Remembers each external id seen in one import (by a 53-bit hash, with its line and a fingerprint of
 * its text and label) so a later row that reuses an id with a different text or label is reported
 * with both line numbers instead of vanishing as a "duplicate". A million ids cost about 40 MB; an
 * exact repeat (same id, text and label) is left to the database's dedup, which counts it as a duplicate.
 */

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

const hash53 = (s: string) => fnv1a(s, 2166136261) * 2 ** 21 + (fnv1a(s, 0x9e3779b9) & 0x1fffff);
const FINGERPRINT_BITS = 2 ** 20;
const fingerprint = (text: string, label: string | null) => fnv1a(`${text}\u0000${label ?? "\u0001"}`, 0x811c9dc5) % FINGERPRINT_BITS;

export type TDuplicateCheck = { firstLine: number } | null;

export function createInFileDuplicates() {
  const seen = new Map<number, number>();
  return {
    /** null when the row is new or repeats an earlier one exactly; else the line that used the id first */
    check(externalId: string, text: string, label: string | null, line: number): TDuplicateCheck {
      const key = hash53(externalId);
      const fp = fingerprint(text, label);
      const earlier = seen.get(key);
      if (earlier === undefined) {
        seen.set(key, line * FINGERPRINT_BITS + fp);
        return null;
      }
      const firstLine = Math.floor(earlier / FINGERPRINT_BITS);
      return earlier % FINGERPRINT_BITS === fp ? null : { firstLine };
    },
  };
}

export const IN_FILE_DUPLICATE = "external id already used earlier in the file with a different text or label";
