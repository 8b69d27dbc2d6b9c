import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseManifest, type TModelManifest } from "@/lib/model/manifest.ts";
import { encodeForTransformer, tokenizeForTransformer } from "./encode-batch.ts";

// Written by model/tests/make_node_fixtures.py: a WordPiece tokenizer.json and the ids Python's
// Hugging Face tokenizer gives for each case (normalised, truncated to maxLength).
const fixtures = path.resolve(import.meta.dirname, "fixtures");
const tokenizerJson = readFileSync(path.join(fixtures, "tokenizer.json"), "utf8");
const expected = JSON.parse(readFileSync(path.join(fixtures, "expected-ids.json"), "utf8")) as {
  padTokenId: number;
  cases: { text: string; normalization: "none" | "bertweet"; maxLength: number; ids: number[] }[];
};
const example = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../../model/tests/fixtures/manifest.example.json"), "utf8"));

function manifestWith(featurizer: Partial<Extract<TModelManifest["featurizer"], { type: "hf-tokenizer" }>>): TModelManifest {
  return parseManifest({
    ...example,
    featurizer: { ...example.featurizer, padTokenId: expected.padTokenId, ...featurizer },
  });
}

describe("tokenizeForTransformer", () => {
  it.each(expected.cases)("gives Python's ids for $normalization: $text", ({ text, normalization, maxLength, ids }) => {
    const manifest = manifestWith({ normalization, maxLength });
    expect(tokenizeForTransformer(manifest, tokenizerJson, [text])).toEqual([ids]);
  });

  it("truncates long texts but keeps [CLS] first and [SEP] last", () => {
    const [ids] = tokenizeForTransformer(manifestWith({ maxLength: 6 }), tokenizerJson, ["nice match team ".repeat(10)]);
    expect(ids).toHaveLength(6);
    expect(ids[0]).toBe(2);
    expect(ids[5]).toBe(3);
  });
});

describe("encodeForTransformer", () => {
  it("pads to the longest text with padTokenId and masks the padding", () => {
    const manifest = manifestWith({ maxLength: 32, normalization: "none" });
    const feeds = encodeForTransformer(manifest, tokenizerJson, ["good game", "you are such an idiot"]);
    const [short, long] = tokenizeForTransformer(manifest, tokenizerJson, ["good game", "you are such an idiot"]);
    expect(Object.keys(feeds).sort()).toEqual(["attention_mask", "input_ids"]);
    const ids = feeds.input_ids;
    expect(ids.type).toBe("int64");
    expect(ids.dims).toEqual([2, long.length]);
    const padded = [...short, ...Array(long.length - short.length).fill(expected.padTokenId)];
    expect(Array.from(ids.data as BigInt64Array, Number)).toEqual([...padded, ...long]);
    const mask = Array.from(feeds.attention_mask.data as BigInt64Array, Number);
    expect(mask).toEqual([...short.map(() => 1), ...Array(long.length - short.length).fill(0), ...long.map(() => 1)]);
  });

  it("adds all-zero token_type_ids under the manifest's name when the model takes them", () => {
    const manifest = manifestWith({ inputNames: { inputIds: "ids", attentionMask: "mask", tokenTypeIds: "segments" } });
    const feeds = encodeForTransformer(manifest, tokenizerJson, ["good", "good game"]);
    expect(Object.keys(feeds).sort()).toEqual(["ids", "mask", "segments"]);
    expect(feeds.segments.dims).toEqual(feeds.ids.dims);
    expect(Array.from(feeds.segments.data as BigInt64Array).every((v) => v === 0n)).toBe(true);
  });

  it("applies the BERTweet normalisation only when the manifest asks for it", () => {
    const raw = "@bob you idiot http://x.co";
    const normalised = "@USER you idiot HTTPURL";
    const withNorm = manifestWith({ normalization: "bertweet" });
    const without = manifestWith({ normalization: "none" });
    expect(tokenizeForTransformer(withNorm, tokenizerJson, [raw])).toEqual(tokenizeForTransformer(without, tokenizerJson, [normalised]));
    expect(tokenizeForTransformer(without, tokenizerJson, [raw])).not.toEqual(tokenizeForTransformer(without, tokenizerJson, [normalised]));
  });

  it("refuses a hashed-linear manifest and an empty batch", () => {
    const linear = {
      ...example,
      kind: "hashed-linear",
      featurizer: { type: "hashed-ngrams", buckets: 8, wordNgrams: [1, 1], charNgrams: [0, 0], lowercase: true, maxFeatures: 8, hashSeed: 0 },
    };
    expect(() => encodeForTransformer(parseManifest(linear), tokenizerJson, ["x"])).toThrow(/not hf-tokenizer/);
    expect(() => encodeForTransformer(manifestWith({}), tokenizerJson, [])).toThrow(/at least one text/);
  });

  it("says so when tokenizer.json is not JSON", () => {
    expect(() => encodeForTransformer(manifestWith({}), "{nope", ["x"])).toThrow(/tokenizer.json is not valid JSON/);
  });
});
