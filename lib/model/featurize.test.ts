import { describe, expect, it } from "vitest";
import { DEFAULT_FEATURIZER, HashedNgramFeaturizer, padRows } from "./featurize.ts";
import { ZHashedNgramFeaturizer } from "./manifest.ts";

const small = (over: Partial<typeof DEFAULT_FEATURIZER> = {}) => new HashedNgramFeaturizer({ ...DEFAULT_FEATURIZER, buckets: 1 << 20, ...over });

function asMap(f: { indices: Int32Array; values: Float32Array }): Map<number, number> {
  const m = new Map<number, number>();
  f.indices.forEach((b, i) => m.set(b, (m.get(b) ?? 0) + f.values[i]));
  return m;
}

describe("HashedNgramFeaturizer", () => {
  it("counts char_wb n-grams like scikit-learn: ' hello ' gives 6+5+4+3 n-grams of length 2–5", () => {
    const f = small({ wordNgrams: [0, 0], l2Normalize: false });
    expect(f.featurize("hello").indices.length).toBe(18);
    // two words: each padded separately, no n-gram spans the space between them
    expect(f.featurize("hello world").indices.length).toBe(36);
  });

  it("emits word unigrams and bigrams", () => {
    const f = small({ charNgrams: [0, 0], l2Normalize: false });
    expect(f.featurize("you are bad").indices.length).toBe(5); // 3 unigrams + 2 bigrams
    const uni = small({ charNgrams: [0, 0], wordNgrams: [1, 1], l2Normalize: false });
    expect(uni.featurize("you are bad").indices.length).toBe(3);
  });

  it("is deterministic and case-insensitive when lowercase is on", () => {
    const f = small();
    expect(asMap(f.featurize("You SUCK"))).toEqual(asMap(f.featurize("you suck")));
    expect(asMap(f.featurize("gg wp"))).toEqual(asMap(new HashedNgramFeaturizer({ ...DEFAULT_FEATURIZER, buckets: 1 << 20 }).featurize("gg wp")));
  });

  it("squeezes long runs of one character so elongated words share features", () => {
    const f = small();
    expect(asMap(f.featurize("noooooooob"))).toEqual(asMap(f.featurize("nooob")));
    const keep = small({ squeezeRepeats: 0 });
    expect(asMap(keep.featurize("noooooooob"))).not.toEqual(asMap(keep.featurize("nooob")));
  });

  it("gives different hash seeds different buckets", () => {
    const a = small({ hashSeed: 0 }).featurize("toxic chat").indices;
    const b = small({ hashSeed: 7 }).featurize("toxic chat").indices;
    expect([...a]).not.toEqual([...b]);
  });

  it("L2-normalises word and char blocks separately, with the word block scaled by wordWeight", () => {
    const f = small({ wordWeight: 0.5 });
    const feats = f.featurize("you are a noob noob");
    const wordsOnly = small({ charNgrams: [0, 0], wordWeight: 0.5 }).featurize("you are a noob noob");
    const nw = wordsOnly.indices.length;
    let sqWord = 0;
    let sqChar = 0;
    feats.values.forEach((v, i) => (i < nw ? (sqWord += v * v) : (sqChar += v * v)));
    expect(Math.sqrt(sqWord)).toBeCloseTo(0.5, 5);
    expect(Math.sqrt(sqChar)).toBeCloseTo(1, 5);
  });

  it("uses sublinear tf: a word twice weighs 1 + ln 2 before normalisation", () => {
    const f = small({ charNgrams: [0, 0], wordNgrams: [1, 1], l2Normalize: false });
    const m = asMap(f.featurize("noob noob pro"));
    expect([...m.values()].sort()).toEqual([1, Math.fround(1 + Math.log(2))]);
    const raw = small({ charNgrams: [0, 0], wordNgrams: [1, 1], l2Normalize: false, sublinearTf: false });
    expect([...asMap(raw.featurize("noob noob pro")).values()].sort()).toEqual([1, 2]);
  });

  it("keeps every bucket id inside [0, buckets)", () => {
    const f = new HashedNgramFeaturizer({ ...DEFAULT_FEATURIZER, buckets: 97 });
    const rows = f.featurizeRows(["héllo wörld 🙂🙂", "ＦＵＬＬ width", "", "   ", "a"]);
    for (const b of rows.indices) expect(b >= 0 && b < 97).toBe(true);
  });

  it("returns no features for empty or whitespace-only text", () => {
    const f = small();
    expect(f.featurize("").indices.length).toBe(0);
    expect(f.featurize(" \t\n ").indices.length).toBe(0);
    for (const v of f.featurize("!!").values) expect(Number.isFinite(v)).toBe(true);
  });

  it("caps features per text at maxFeatures", () => {
    const f = small({ maxFeatures: 64 });
    const long = Array.from({ length: 500 }, (_, i) => `word${i}`).join(" ");
    expect(f.featurize(long).indices.length).toBeLessThanOrEqual(64);
  });

  it("builds CSR rows that agree with per-text featurization", () => {
    const f = small();
    const texts = ["gg ez", "you are trash", "", "nice one!"];
    const rows = f.featurizeRows(texts);
    expect(rows.rows).toBe(4);
    texts.forEach((t, r) => {
      const one = f.featurize(t);
      expect([...rows.indices.subarray(rows.indptr[r], rows.indptr[r + 1])]).toEqual([...one.indices]);
      expect([...rows.values.subarray(rows.indptr[r], rows.indptr[r + 1])]).toEqual([...one.values]);
    });
  });

  it("pads a batch to its longest row with the pad index and zero values", () => {
    const f = new HashedNgramFeaturizer({ ...DEFAULT_FEATURIZER, buckets: 1000 });
    const batch = f.featurizeBatch(["a", "a much longer line of chat"]);
    const short = f.featurize("a");
    const long = f.featurize("a much longer line of chat");
    expect(batch.batch).toBe(2);
    expect(batch.width).toBe(long.indices.length);
    expect([...batch.indices.subarray(0, short.indices.length)].map(Number)).toEqual([...short.indices]);
    expect(batch.indices[short.indices.length]).toBe(1000n);
    expect(batch.values[short.indices.length]).toBe(0);
    expect([...batch.indices.subarray(batch.width)].map(Number)).toEqual([...long.indices]);
  });

  it("gives an all-empty batch width 1, so the tensor is never zero-sized", () => {
    const p = padRows({ indptr: Int32Array.of(0, 0), indices: new Int32Array(0), values: new Float32Array(0), rows: 1 }, 5);
    expect(p.width).toBe(1);
    expect(p.indices[0]).toBe(5n);
    expect(p.values[0]).toBe(0);
  });

  it("accepts older manifests without the newer knobs, filling their defaults", () => {
    const parsed = ZHashedNgramFeaturizer.parse({
      type: "hashed-ngrams",
      buckets: 1024,
      wordNgrams: [1, 2],
      charNgrams: [2, 5],
      lowercase: true,
      maxFeatures: 512,
      hashSeed: 0,
    });
    expect(parsed.squeezeRepeats).toBe(3);
    expect(parsed.sublinearTf).toBe(true);
    expect(parsed.l2Normalize).toBe(true);
  });
  // throughput is measured by bench/scoring.ts, not asserted here: the CI machine is shared
});
