import { hash53, unitHash53 } from "@/lib/random/hash.ts";
import { SPLIT_NAMES, type TSplitName } from "./params.ts";

/**
 * Deterministic, stratified, leak-free split assignment for millions of rows in typed arrays.
 *
 * Rows are added once, in a stable order (excerpt id). Rows that share a conversation or a normalised
 * text are joined into one group with union-find, so a conversation and every near-duplicate of a line
 * land in the same split, transitively. Groups are then ordered by a seeded hash of their first row's
 * key and, within each stratum (the label of the group's first row), handed to whichever split is
 * furthest below its target share. The result is the same for the same rows and seed on every machine,
 * and every stratum is split to within one group of the requested ratios.
 *
 * Stock phrases ("gg ez", "lol") occur in thousands of conversations; joining through them would weld
 * most of the data into one group and make any split ratio impossible. A normalised text seen in more
 * than `maxConversationsPerText` conversations is therefore a "hub": all its copies still share one
 * split (no text leaks), but they do not pull their conversations along. Set it to Infinity for the
 * strict transitive closure.
 */

export type TSplitRatios = { train: number; validation: number; test: number };

export type TSplitRow = {
  /** stable row identity, e.g. the excerpt id */
  key: string;
  /** rows with the same non-null conversation always share a split */
  conversation: string | null;
  /** rows with the same normalised text always share a split */
  normalisedText: string;
  /** stratification class, e.g. the label index (0 … n-1) */
  stratum: number;
  /** a split this row must be in (gold slice, held-out test data); its whole group follows it */
  forced: TSplitName | null;
};

const SPLIT_INDEX: Record<TSplitName, number> = { train: 0, validation: 1, test: 2, gold: 3 };
// When a group holds rows forced into different splits, the split furthest from training wins.
const FORCE_PRIORITY = [0, 1, 2, 3];
const EMPTY = -1;

export type TSplitStats = {
  rows: number;
  groups: number;
  largestGroup: number;
  /** texts seen in more than maxConversationsPerText conversations, and the rows carrying them */
  hubTexts: number;
  hubRows: number;
};

export class SplitPlanner {
  private readonly ratios: [number, number, number];
  private readonly seed: string;
  private readonly maxConversationsPerText: number;
  private count = 0;
  private stratum = new Int32Array(1024);
  /** 32 bits of the seeded key hash: only orders groups (ties fall back to row order) */
  private keyHash = new Uint32Array(1024);
  /** 0 = free, else SPLIT_INDEX + 1 */
  private forced = new Uint8Array(1024);
  private textOf = new Int32Array(1024);
  private convOf = new Int32Array(1024);
  private readonly texts = new HashIds();
  private readonly convs = new HashIds();
  /** distinct (text, conversation) pairs, to count the conversations each text appears in */
  private pairs: HashIds | null = new HashIds();
  private textConvCount = new Int32Array(1024);
  private parent = new Int32Array(0);
  private size = new Int32Array(0);
  private stats: TSplitStats | null = null;
  private groupFacts: { hubRows: number; hubTexts: number } | null = null;

  constructor(opts: { ratios: TSplitRatios; seed: string; maxConversationsPerText?: number }) {
    this.ratios = [opts.ratios.train, opts.ratios.validation, opts.ratios.test];
    this.seed = opts.seed;
    this.maxConversationsPerText = opts.maxConversationsPerText ?? 20;
  }

  get rows(): number {
    return this.count;
  }

  /** Adds one row and returns its index (0, 1, 2, … in the order added). */
  add(row: TSplitRow): number {
    const i = this.count;
    if (i === this.stratum.length) this.growRows();
    this.count++;
    this.stratum[i] = row.stratum;
    this.keyHash[i] = unitHash53(row.key, this.seed) * 4294967296;
    this.forced[i] = row.forced ? SPLIT_INDEX[row.forced] + 1 : 0;
    const text = this.texts.idFor(hash53(row.normalisedText, 1));
    if (text === this.textConvCount.length) this.textConvCount = grow(this.textConvCount);
    this.textOf[i] = text;
    const hasConversation = row.conversation !== null && row.conversation !== "";
    const conv = hasConversation ? this.convs.idFor(hash53(row.conversation!, 2)) : EMPTY;
    this.convOf[i] = conv;
    // how many conversations each text appears in; a row without a conversation is its own one
    if (conv === EMPTY) this.textConvCount[text]++;
    else {
      if (text >= 2 ** 26 || conv >= 2 ** 26) throw new Error("SplitPlanner: more than 67 million distinct texts or conversations");
      const before = this.pairs!.size;
      this.pairs!.idFor(text * 2 ** 26 + conv);
      if (this.pairs!.size > before) this.textConvCount[text]++;
    }
    return i;
  }

  /**
   * The group of every row (0, 1, 2, … by first appearance), without assigning splits: rows that share a
   * group must never be separated. lib/model/cross-fit.ts deals groups into cross-fitting folds with it,
   * so training's folds keep near-duplicates together exactly as the export's splits do.
   */
  finishGroups(): Int32Array {
    this.buildGroups();
    const n = this.count;
    const dense = new Int32Array(n).fill(EMPTY);
    const out = new Int32Array(n);
    let next = 0;
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      if (dense[r] === EMPTY) dense[r] = next++;
      out[i] = dense[r];
    }
    return out;
  }

  /** The split (index into SPLIT_NAMES) of every row, in the order they were added. */
  finish(): Uint8Array {
    const { hubRows, hubTexts } = this.buildGroups();
    const n = this.count;

    const firstRow = new Int32Array(n).fill(EMPTY);
    const groupForced = new Uint8Array(n);
    const roots = new Int32Array(n);
    let rootCount = 0;
    let largestGroup = 0;
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      if (firstRow[r] === EMPTY) {
        firstRow[r] = i;
        roots[rootCount++] = r;
        if (this.size[r] > largestGroup) largestGroup = this.size[r];
      }
      const f = this.forced[i];
      if (f && (groupForced[r] === 0 || FORCE_PRIORITY[f - 1] > FORCE_PRIORITY[groupForced[r] - 1])) groupForced[r] = f;
    }
    this.stats = { rows: n, groups: rootCount, largestGroup, hubTexts, hubRows };
    const groupSplit = new Uint8Array(n);
    let freeCount = 0;
    for (let k = 0; k < rootCount; k++) {
      const r = roots[k];
      if (groupForced[r] !== 0) groupSplit[r] = groupForced[r] - 1;
      else roots[freeCount++] = r;
    }
    const free = roots.subarray(0, freeCount);
    // rows forced into train/validation/test already fill part of their stratum's quota
    const forcedByStratum = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      const f = groupForced[r];
      if (f === 0 || f - 1 > 2) continue;
      const s = this.stratum[firstRow[r]];
      const counts = forcedByStratum.get(s) ?? [0, 0, 0];
      counts[f - 1]++;
      forcedByStratum.set(s, counts);
    }
    free.sort((a, b) => {
      const sa = this.stratum[firstRow[a]];
      const sb = this.stratum[firstRow[b]];
      if (sa !== sb) return sa - sb;
      const ha = this.keyHash[firstRow[a]];
      const hb = this.keyHash[firstRow[b]];
      if (ha !== hb) return ha - hb;
      return firstRow[a] - firstRow[b];
    });
    let currentStratum = Number.NaN;
    const assigned = [0, 0, 0];
    let total = 0;
    for (const r of free) {
      const s = this.stratum[firstRow[r]];
      if (s !== currentStratum) {
        currentStratum = s;
        const forced = forcedByStratum.get(s) ?? [0, 0, 0];
        for (let k = 0; k < 3; k++) assigned[k] = forced[k];
        total = forced[0] + forced[1] + forced[2];
      }
      const size = this.size[r];
      let best = -1;
      let bestDeficit = -Infinity;
      for (let k = 0; k < 3; k++) {
        if (this.ratios[k] <= 0) continue;
        const deficit = this.ratios[k] * (total + size) - assigned[k];
        if (deficit > bestDeficit + 1e-12) {
          bestDeficit = deficit;
          best = k;
        }
      }
      groupSplit[r] = best;
      assigned[best] += size;
      total += size;
    }
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = groupSplit[this.find(i)];
    return out;
  }

  /** Union-find over shared conversations and normalised texts (hubs excepted); once per planner. */
  private buildGroups(): { hubRows: number; hubTexts: number } {
    if (this.groupFacts) return this.groupFacts;
    const n = this.count;
    this.pairs = null; // counted; free it before the group arrays are allocated
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    const firstOfText = new Int32Array(this.texts.size).fill(EMPTY);
    const firstOfConv = new Int32Array(this.convs.size).fill(EMPTY);
    let hubRows = 0;
    let hubTexts = 0;
    for (let i = 0; i < n; i++) {
      const t = this.textOf[i];
      const isHub = this.textConvCount[t] > this.maxConversationsPerText;
      if (firstOfText[t] === EMPTY) {
        firstOfText[t] = i;
        if (isHub) hubTexts++;
      } else this.union(firstOfText[t], i);
      if (isHub) hubRows++;
      // Hub lines and gold rows do not join their conversations: the gold slice is a random sample of
      // single excerpts, and pulling whole conversations after it would move most data out of training.
      if (isHub || this.forced[i] === SPLIT_INDEX.gold + 1) continue;
      const c = this.convOf[i];
      if (c === EMPTY) continue;
      if (firstOfConv[c] === EMPTY) firstOfConv[c] = i;
      else this.union(firstOfConv[c], i);
    }
    this.groupFacts = { hubRows, hubTexts };
    return this.groupFacts;
  }

  /** The stratum of every row, in the order added (a view: valid until the next add). */
  strata(): Int32Array {
    return this.stratum.subarray(0, this.count);
  }

  /** Grouping figures of the last finish() (for the manifest and dataset card). */
  getStats(): TSplitStats {
    if (!this.stats) throw new Error("SplitPlanner.getStats() before finish()");
    return this.stats;
  }

  private find(i: number): number {
    const parent = this.parent;
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
  }

  private growRows(): void {
    this.stratum = grow(this.stratum);
    this.keyHash = grow(this.keyHash);
    this.forced = grow(this.forced);
    this.textOf = grow(this.textOf);
    this.convOf = grow(this.convOf);
  }
}

function grow<T extends Int32Array | Uint32Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(a.length * 2, 16));
  b.set(a);
  return b;
}

/**
 * Open-addressing table in typed arrays: hash → dense id (0, 1, 2, …). Keys are folded to 32 bits, so
 * a million keys cost ~16 MB instead of the ~100 MB a Map of strings would. A rare 32-bit collision
 * only merges two texts (or conversations) into one group, which can never leak rows across splits.
 */
class HashIds {
  private keys = new Uint32Array(1024);
  private ids = new Int32Array(1024).fill(EMPTY);
  size = 0;

  idFor(wideKey: number): number {
    const key = mixSlot(wideKey);
    if ((this.size + 1) * 10 > this.keys.length * 7) this.rehash();
    const mask = this.keys.length - 1;
    let slot = key & mask;
    for (;;) {
      const id = this.ids[slot];
      if (id === EMPTY) {
        this.keys[slot] = key;
        this.ids[slot] = this.size;
        return this.size++;
      }
      if (this.keys[slot] === key) return id;
      slot = (slot + 1) & mask;
    }
  }

  private rehash(): void {
    const oldKeys = this.keys;
    const oldIds = this.ids;
    this.keys = new Uint32Array(oldKeys.length * 2);
    this.ids = new Int32Array(oldKeys.length * 2).fill(EMPTY);
    const mask = this.keys.length - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      if (oldIds[j] === EMPTY) continue;
      let slot = oldKeys[j] & mask;
      while (this.ids[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.keys[slot] = oldKeys[j];
      this.ids[slot] = oldIds[j];
    }
  }
}

/** Low bits of a number key, mixed so that structured keys (text * 2^21 + conversation) spread well. */
function mixSlot(key: number): number {
  const lo = key >>> 0;
  const hi = Math.floor(key / 4294967296) >>> 0;
  return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> 0;
}

export function splitName(index: number): TSplitName {
  const name = SPLIT_NAMES[index];
  if (!name) throw new Error(`no split with index ${index}`);
  return name;
}

/** Convenience for small inputs and tests: the split of each row, in input order. */
export function assignSplits(rows: readonly TSplitRow[], opts: { ratios: TSplitRatios; seed: string; maxConversationsPerText?: number }): TSplitName[] {
  const planner = new SplitPlanner(opts);
  for (const row of rows) planner.add(row);
  return Array.from(planner.finish(), splitName);
}
