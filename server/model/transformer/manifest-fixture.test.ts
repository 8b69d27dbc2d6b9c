import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseManifest } from "@/lib/model/manifest.ts";

// model/tests/test_manifest.py validates the same file with the Python writer's checks: if the
// TypeScript contract and the Python pipeline drift apart, one of the two tests fails.
const example = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "../../../model/tests/fixtures/manifest.example.json"), "utf8"),
) as Record<string, unknown>;

describe("the Python pipeline's manifest example", () => {
  it("parses with the app's contract", () => {
    const m = parseManifest(example);
    expect(m.kind).toBe("transformer");
    expect(m.featurizer).toMatchObject({ type: "hf-tokenizer", normalization: "bertweet", padTokenId: 1, maxLength: 128 });
    expect(m.labels[m.nonToxicIndex]).toBe("non-toxic");
    expect(m.onnx.outputName).toBe("logits");
  });

  it("is rejected when the non-toxic index points outside the labels", () => {
    expect(() => parseManifest({ ...example, nonToxicIndex: 9 })).toThrow(/nonToxicIndex/);
  });
});
