import { compareIds } from "@/lib/ids/compare-ids.ts";
/**
 * Snapshot diff as a merge of two id-sorted row indexes (index.tsv), so two million-row snapshots are
 * compared in constant memory. Labels are compared by name: label indices may shift between taxonomies.
 */

export type TIndexRow = { id: string; split: string; labelIndex: number; label: string };

export type TDiffSample = { id: string; before?: { label: string; split: string }; after?: { label: string; split: string } };

export type TSnapshotDiff = {
  added: number;
  removed: number;
  relabelled: number;
  /** same label, different split (the seed, ratios or grouping changed) */
  movedSplit: number;
  unchanged: number;
  samples: { added: TDiffSample[]; removed: TDiffSample[]; relabelled: TDiffSample[] };
};

export function parseIndexLine(line: string, lineNo: number): TIndexRow {
  const [id, split, labelIndex, label] = line.split("\t");
  if (!id || !split || labelIndex === undefined || label === undefined || !/^\d+$/.test(id)) {
    throw new Error(`index line ${lineNo}: expected "id<TAB>split<TAB>label_index<TAB>label", got ${JSON.stringify(line.slice(0, 80))}`);
  }
  return { id, split, labelIndex: Number(labelIndex), label };
}

export async function diffIndexes(
  before: AsyncIterable<TIndexRow> | Iterable<TIndexRow>,
  after: AsyncIterable<TIndexRow> | Iterable<TIndexRow>,
  opts: { sampleSize?: number } = {},
): Promise<TSnapshotDiff> {
  const sampleSize = opts.sampleSize ?? 20;
  const out: TSnapshotDiff = { added: 0, removed: 0, relabelled: 0, movedSplit: 0, unchanged: 0, samples: { added: [], removed: [], relabelled: [] } };
  const a = iterate(before);
  const b = iterate(after);
  let x = await a.next();
  let y = await b.next();
  let lastA: string | null = null;
  let lastB: string | null = null;
  const checkOrder = (id: string, last: string | null, side: string) => {
    if (last !== null && compareIds(id, last) <= 0) throw new Error(`${side} index is not sorted by id at ${id}`);
  };
  const sample = (list: TDiffSample[], s: TDiffSample) => {
    if (list.length < sampleSize) list.push(s);
  };
  while (!x.done || !y.done) {
    const cmp = x.done ? 1 : y.done ? -1 : compareIds(x.value.id, y.value.id);
    if (cmp < 0) {
      const r = x.value as TIndexRow;
      checkOrder(r.id, lastA, "first");
      lastA = r.id;
      out.removed++;
      sample(out.samples.removed, { id: r.id, before: { label: r.label, split: r.split } });
      x = await a.next();
    } else if (cmp > 0) {
      const r = y.value as TIndexRow;
      checkOrder(r.id, lastB, "second");
      lastB = r.id;
      out.added++;
      sample(out.samples.added, { id: r.id, after: { label: r.label, split: r.split } });
      y = await b.next();
    } else {
      const p = x.value as TIndexRow;
      const q = y.value as TIndexRow;
      checkOrder(p.id, lastA, "first");
      checkOrder(q.id, lastB, "second");
      lastA = p.id;
      lastB = q.id;
      if (p.label !== q.label) {
        out.relabelled++;
        sample(out.samples.relabelled, { id: p.id, before: { label: p.label, split: p.split }, after: { label: q.label, split: q.split } });
      } else if (p.split !== q.split) out.movedSplit++;
      else out.unchanged++;
      x = await a.next();
      y = await b.next();
    }
  }
  return out;
}

function iterate<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in source ? (source as AsyncIterable<T>)[Symbol.asyncIterator]() : (source as Iterable<T>)[Symbol.iterator]();
}
