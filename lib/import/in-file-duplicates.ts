/**
 * Remembers each external id seen in one import (by a 53-bit hash, with its line and a fingerprint of
 * its text and label) so a later row that reuses an id with a different text or label is reported
 * with both line numbers instead of vanishing as a "duplicate". An exact repeat (same id, text and
 * label) is left to the database's dedup, which counts it as a duplicate.
 *
 * The table is open addressing over two Float64Arrays, not a Map: a Map keyed by 53-bit numbers boxes
 * every key and value as a heap object, and at a million ids the garbage collector kept walking those
 * two million objects: ~40% of a 1M-row import's CPU went to collection, 10% more to the Map itself.
 * Typed arrays are one object each, never scanned. A million ids take 32 MB (16 bytes a slot, at most
 * half the slots used).
 */

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

const FINGERPRINT_BITS = 2 ** 20;
const fingerprint = (text: string, label: string | null) => fnv1a(`${text}\u0000${label ?? "\u0001"}`, 0x811c9dc5) % FINGERPRINT_BITS;
const INITIAL_SLOTS = 1024;

export type TDuplicateCheck = { firstLine: number } | null;

/** A set of 53-bit keys (never 0) with one 53-bit value each, open addressing with linear probing. */
class NumberTable {
  private keys = new Float64Array(INITIAL_SLOTS);
  private values = new Float64Array(INITIAL_SLOTS);
  private used = 0;

  /** the value stored for key, or -1 */
  get(key: number, slotHash: number): number {
    const mask = this.keys.length - 1;
    for (let i = slotHash & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === key) return this.values[i];
      if (k === 0) return -1;
    }
  }

  /** stores key → value; the key must not be in the table yet */
  add(key: number, slotHash: number, value: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    this.place(key, slotHash, value);
    this.used++;
  }

  get size(): number {
    return this.used;
  }

  private place(key: number, slotHash: number, value: number): void {
    const mask = this.keys.length - 1;
    let i = slotHash & mask;
    while (this.keys[i] !== 0) i = (i + 1) & mask;
    this.keys[i] = key;
    this.values[i] = value;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Float64Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== 0) this.place(keys[i], slotOf(keys[i]), values[i]);
    }
  }
}

// the key's high 32 bits are one FNV-1a hash of the id: mixed once more, they spread ids over the slots
const slotOf = (key: number) => Math.imul(Math.floor(key / 2 ** 21) ^ (key % 2 ** 21), 0x9e3779b1) >>> 0;

export function createInFileDuplicates() {
  const seen = new NumberTable();
  return {
    /** null when the row is new or repeats an earlier one exactly; else the line that used the id first */
    check(externalId: string, text: string, label: string | null, line: number): TDuplicateCheck {
      // 53 bits from two hashes; +1 keeps 0 free to mark an empty slot
      const key = fnv1a(externalId, 2166136261) * 2 ** 21 + (fnv1a(externalId, 0x9e3779b9) & 0x1fffff) + 1;
      const slot = slotOf(key);
      const fp = fingerprint(text, label);
      const earlier = seen.get(key, slot);
      if (earlier === -1) {
        seen.add(key, slot, line * FINGERPRINT_BITS + fp);
        return null;
      }
      const firstLine = Math.floor(earlier / FINGERPRINT_BITS);
      return earlier % FINGERPRINT_BITS === fp ? null : { firstLine };
    },
    /** distinct external ids remembered */
    get size(): number {
      return seen.size;
    },
  };
}

export const IN_FILE_DUPLICATE = "external id already used earlier in the file with a different text or label";
