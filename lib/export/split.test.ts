import { describe, expect, it } from "vitest";
import { normaliseText } from "./normalise.ts";
import { assignSplits, SplitPlanner, type TSplitRow } from "./split.ts";

const RATIOS = { train: 0.8, validation: 0, test: 0.2 };

/** A deterministic pseudo-random dataset: conversations of varying length, repeated lines, skewed labels. */
function makeRows(n: number, opts: { conversations?: number; dupEvery?: number; strata?: number } = {}): TSplitRow[] {
  const rows: TSplitRow[] = [];
  let state = 12345;
  const rand = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = 0; i < n; i++) {
    const conv = opts.conversations ? `conv-${Math.floor(rand() * opts.conversations)}` : null;
    const text = opts.dupEvery && i % opts.dupEvery === 0 ? `GG EZ noob!!! ${i % 7}` : `line ${i} ${rand().toString(36)}`;
    const r = rand();
    const stratum = r < 0.6 ? 0 : r < 0.85 ? 1 : r < 0.95 ? 2 : 3;
    rows.push({
      key: String(i + 1),
      conversation: conv,
      normalisedText: normaliseText(text),
      stratum: Math.min(stratum, (opts.strata ?? 4) - 1),
      forced: null,
    });
  }
  return rows;
}

function groupsCrossing(rows: TSplitRow[], splits: string[], key: (r: TSplitRow) => string | null): number {
  const seen = new Map<string, string>();
  let crossing = 0;
  rows.forEach((r, i) => {
    const k = key(r);
    if (k === null) return;
    const s = seen.get(k);
    if (s === undefined) seen.set(k, splits[i]);
    else if (s !== splits[i]) crossing++;
  });
  return crossing;
}

describe("SplitPlanner", () => {
  it("strict mode: never lets a conversation or a normalised text cross splits", () => {
    const rows = makeRows(20_000, { conversations: 3_000, dupEvery: 5 });
    const splits = assignSplits(rows, { ratios: { train: 0.7, validation: 0.1, test: 0.2 }, seed: "s", maxConversationsPerText: Infinity });
    expect(groupsCrossing(rows, splits, (r) => r.conversation)).toBe(0);
    expect(groupsCrossing(rows, splits, (r) => r.normalisedText)).toBe(0);
  });

  it("default: stock phrases in many conversations stay in one split without welding conversations together", () => {
    const rows = makeRows(20_000, { conversations: 3_000, dupEvery: 5 });
    const planner = new SplitPlanner({ ratios: { train: 0.7, validation: 0.1, test: 0.2 }, seed: "s" });
    for (const r of rows) planner.add(r);
    const splits = Array.from(planner.finish(), (i) => ["train", "validation", "test", "gold"][i]);
    const stats = planner.getStats();
    // 7 stock phrases, each in hundreds of conversations
    expect(stats).toMatchObject({ rows: 20_000, hubTexts: 7, hubRows: 4_000 });
    expect(groupsCrossing(rows, splits, (r) => r.normalisedText)).toBe(0);
    const hubs = new Set(rows.filter((_, i) => i % 5 === 0).map((r) => r.normalisedText));
    const ordinary = rows.map((r, i) => ({ r, i })).filter(({ r }) => !hubs.has(r.normalisedText));
    expect(
      groupsCrossing(
        ordinary.map((x) => x.r),
        ordinary.map((x) => splits[x.i]),
        (r) => r.conversation,
      ),
    ).toBe(0);
    const share = (name: string) => splits.filter((s) => s === name).length / rows.length;
    expect(Math.abs(share("test") - 0.2)).toBeLessThan(0.03);
    expect(Math.abs(share("validation") - 0.1)).toBeLessThan(0.03);
    // the strict closure would put nearly everything in one group
    const strict = new SplitPlanner({ ratios: { train: 0.7, validation: 0.1, test: 0.2 }, seed: "s", maxConversationsPerText: Infinity });
    for (const r of rows) strict.add(r);
    strict.finish();
    expect(strict.getStats().largestGroup).toBeGreaterThan(15_000);
    expect(stats.largestGroup).toBeLessThan(2_000);
  });

  it("a text in few conversations still joins them (below the hub threshold)", () => {
    const rows: TSplitRow[] = [];
    for (let c = 0; c < 100; c++)
      for (let k = 0; k < 3; k++)
        rows.push({ key: `${c}-${k}`, conversation: `c${c}`, normalisedText: k === 0 ? `shared ${c % 50}` : `own ${c} ${k}`, stratum: 0, forced: null });
    const splits = assignSplits(rows, { ratios: RATIOS, seed: "s", maxConversationsPerText: 2 });
    expect(groupsCrossing(rows, splits, (r) => r.conversation)).toBe(0);
    expect(groupsCrossing(rows, splits, (r) => r.normalisedText)).toBe(0);
  });

  it("joins groups transitively (A~B by conversation, B~C by text ⇒ A, B, C together)", () => {
    const rows: TSplitRow[] = [];
    // 200 chains: a-b share a conversation, b-c share a text, c-d share another conversation
    for (let g = 0; g < 200; g++) {
      rows.push({ key: `${g}a`, conversation: `c${g}`, normalisedText: `a${g}`, stratum: 0, forced: null });
      rows.push({ key: `${g}b`, conversation: `c${g}`, normalisedText: `shared ${g}`, stratum: 0, forced: null });
      rows.push({ key: `${g}c`, conversation: `d${g}`, normalisedText: `shared ${g}`, stratum: 0, forced: null });
      rows.push({ key: `${g}d`, conversation: `d${g}`, normalisedText: `d${g}`, stratum: 0, forced: null });
    }
    const splits = assignSplits(rows, { ratios: RATIOS, seed: "s" });
    for (let g = 0; g < 200; g++) expect(new Set(splits.slice(4 * g, 4 * g + 4)).size).toBe(1);
    expect(splits.filter((s) => s === "test").length).toBe(160);
  });

  it("stratifies: every label's test share is within one group of the target", () => {
    const rows = makeRows(10_000);
    const splits = assignSplits(rows, { ratios: RATIOS, seed: "s" });
    for (let stratum = 0; stratum < 4; stratum++) {
      const idx = rows.map((r, i) => (r.stratum === stratum ? i : -1)).filter((i) => i >= 0);
      const test = idx.filter((i) => splits[i] === "test").length;
      expect(Math.abs(test - idx.length * 0.2)).toBeLessThanOrEqual(1);
    }
  });

  it("stratifies within a tolerance when conversations group rows", () => {
    const rows = makeRows(20_000, { conversations: 8_000 });
    const splits = assignSplits(rows, { ratios: { train: 0.8, validation: 0.1, test: 0.1 }, seed: "s" });
    const share = (name: string) => splits.filter((s) => s === name).length / rows.length;
    expect(share("train")).toBeCloseTo(0.8, 1);
    expect(Math.abs(share("validation") - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(share("test") - 0.1)).toBeLessThan(0.01);
  });

  it("is deterministic, and a different seed gives a different assignment", () => {
    const rows = makeRows(5_000, { conversations: 1_000, dupEvery: 3 });
    const a = assignSplits(rows, { ratios: RATIOS, seed: "modloop" });
    const b = assignSplits(rows, { ratios: RATIOS, seed: "modloop" });
    const c = assignSplits(rows, { ratios: RATIOS, seed: "other" });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("sends a whole group where one of its rows is forced; gold rows bring their near-duplicates but not their conversation", () => {
    const rows: TSplitRow[] = [
      { key: "1", conversation: "c1", normalisedText: "x1", stratum: 0, forced: null },
      { key: "2", conversation: "c1", normalisedText: "x2", stratum: 1, forced: "gold" },
      { key: "3", conversation: "c2", normalisedText: "x3", stratum: 0, forced: "test" },
      { key: "4", conversation: "c2", normalisedText: "x4", stratum: 0, forced: null },
      { key: "5", conversation: null, normalisedText: "x3", stratum: 0, forced: null },
      { key: "6", conversation: "c3", normalisedText: "x2", stratum: 0, forced: null },
      { key: "7", conversation: "c4", normalisedText: "x7", stratum: 0, forced: "test" },
      { key: "8", conversation: null, normalisedText: "x7", stratum: 0, forced: "gold" },
    ];
    expect(assignSplits(rows, { ratios: RATIOS, seed: "s" })).toEqual(["train", "gold", "test", "test", "test", "gold", "gold", "gold"]);
    const held = assignSplits(
      [
        { key: "1", conversation: "c1", normalisedText: "y", stratum: 0, forced: null },
        { key: "2", conversation: "c1", normalisedText: "z", stratum: 0, forced: "test" },
      ],
      { ratios: { train: 1, validation: 0, test: 0 }, seed: "s" },
    );
    expect(held).toEqual(["test", "test"]);
  });

  it("counts rows forced into test towards the test quota", () => {
    const rows = makeRows(10_000, { conversations: 2_500 }).map((r, i) => ({ ...r, forced: i % 50 === 0 ? ("test" as const) : null }));
    const splits = assignSplits(rows, { ratios: RATIOS, seed: "s" });
    // forcing pulls whole conversations (~4 rows each, ~8% of rows) into test; the quota absorbs them
    expect(Math.abs(splits.filter((s) => s === "test").length / rows.length - 0.2)).toBeLessThan(0.01);
  });

  it("gives nothing to a split whose ratio is zero", () => {
    const splits = assignSplits(makeRows(2_000), { ratios: { train: 1, validation: 0, test: 0 }, seed: "s" });
    expect(new Set(splits)).toEqual(new Set(["train"]));
  });

  it("does not treat a null or empty conversation as one big conversation", () => {
    const rows = makeRows(1_000).map((r, i) => ({ ...r, conversation: i % 2 ? null : "" }));
    const splits = assignSplits(rows, { ratios: RATIOS, seed: "s" });
    expect(splits.filter((s) => s === "test").length).toBe(200);
  });

  it("handles 300k rows in typed arrays (growth of rows and hash table)", () => {
    const planner = new SplitPlanner({ ratios: RATIOS, seed: "s" });
    for (let i = 0; i < 300_000; i++) {
      planner.add({ key: String(i), conversation: `c${i >> 2}`, normalisedText: `t${i % 250_000}`, stratum: i % 3, forced: null });
    }
    const out = planner.finish();
    expect(out.length).toBe(300_000);
    // rows i and i+250000 share a text; i and i^1 share a conversation
    for (let i = 0; i < 50_000; i += 997) {
      expect(out[i]).toBe(out[i + 250_000]);
      expect(out[i]).toBe(out[i ^ 1]);
    }
  });
});
