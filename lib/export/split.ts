import { hash53, unitHash } from "./hash.ts";
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

export class SplitPlanner {
  private readonly ratios: [number, number, number];
  private readonly seed: string;
  private count = 0;
  private parent = new Int32Array(1024);
  private size = new Int32Array(1024);
  private stratum = new Int32Array(1024);
  private keyHash = new Float64Array(1024);
  /** 0 = free, else SPLIT_INDEX + 1 */
  private forced = new Uint8Array(1024);
  // open-addressing table: 53-bit hash of "c:<conversation>" / "t:<normalised text>" → first row index
  private tableKeys = new Float64Array(1024);
  private tableRows = new Int32Array(1024).fill(EMPTY);
  private tableUsed = 0;

  constructor(opts: { ratios: TSplitRatios; seed: string }) {
    this.ratios = [opts.ratios.train, opts.ratios.validation, opts.ratios.test];
    this.seed = opts.seed;
  }

  get rows(): number {
    return this.count;
  }

  /** Adds one row and returns its index (0, 1, 2, … in the order added). */
  add(row: TSplitRow): number {
    const i = this.count;
    if (i === this.parent.length) this.growRows();
    this.count++;
    this.parent[i] = i;
    this.size[i] = 1;
    this.stratum[i] = row.stratum;
    this.keyHash[i] = unitHash(row.key, this.seed);
    this.forced[i] = row.forced ? SPLIT_INDEX[row.forced] + 1 : 0;
    if (row.conversation !== null && row.conversation !== "") this.link(i, hash53(`c\u0000${row.conversation}`));
    this.link(i, hash53(`t\u0000${row.normalisedText}`));
    return i;
  }

  /** The split (index into SPLIT_NAMES) of every row, in the order they were added. */
  finish(): Uint8Array {
    const n = this.count;
    const firstRow = new Int32Array(n).fill(EMPTY);
    const groupForced = new Uint8Array(n);
    const roots: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      if (firstRow[r] === EMPTY) {
        firstRow[r] = i;
        roots.push(r);
      }
      const f = this.forced[i];
      if (f && (groupForced[r] === 0 || FORCE_PRIORITY[f - 1] > FORCE_PRIORITY[groupForced[r] - 1])) groupForced[r] = f;
    }
    const groupSplit = new Uint8Array(n);
    const free = Int32Array.from(roots.filter((r) => groupForced[r] === 0));
    for (const r of roots) if (groupForced[r] !== 0) groupSplit[r] = groupForced[r] - 1;
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
        assigned.fill(0);
        total = 0;
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

  private link(row: number, key: number): void {
    if ((this.tableUsed + 1) * 10 > this.tableKeys.length * 7) this.growTable();
    const mask = this.tableKeys.length - 1;
    let slot = (key >>> 0) & mask;
    for (;;) {
      const existing = this.tableRows[slot];
      if (existing === EMPTY) {
        this.tableKeys[slot] = key;
        this.tableRows[slot] = row;
        this.tableUsed++;
        return;
      }
      if (this.tableKeys[slot] === key) {
        this.union(existing, row);
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  private growTable(): void {
    const oldKeys = this.tableKeys;
    const oldRows = this.tableRows;
    this.tableKeys = new Float64Array(oldKeys.length * 2);
    this.tableRows = new Int32Array(oldKeys.length * 2).fill(EMPTY);
    const mask = this.tableKeys.length - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      if (oldRows[j] === EMPTY) continue;
      let slot = (oldKeys[j] >>> 0) & mask;
      while (this.tableRows[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.tableKeys[slot] = oldKeys[j];
      this.tableRows[slot] = oldRows[j];
    }
  }

  private growRows(): void {
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.parent = grow(this.parent);
    this.size = grow(this.size);
    this.stratum = grow(this.stratum);
    this.keyHash = grow(this.keyHash);
    this.forced = grow(this.forced);
  }
}

export function splitName(index: number): TSplitName {
  const name = SPLIT_NAMES[index];
  if (!name) throw new Error(`no split with index ${index}`);
  return name;
}

/** Convenience for small inputs and tests: the split of each row, in input order. */
export function assignSplits(rows: readonly TSplitRow[], opts: { ratios: TSplitRatios; seed: string }): TSplitName[] {
  const planner = new SplitPlanner(opts);
  for (const row of rows) planner.add(row);
  return Array.from(planner.finish(), splitName);
}
