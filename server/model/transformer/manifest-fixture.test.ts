import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseManifest } from "@/lib/model/manifest.ts";

// model/tests/test_manifest.py validates the same file with the Python writer's checks: if the
// TypeScript contract and the Python pipeline drift apart, one of the two tests fails.
const example = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../../model/tests/fixtures/manifest.example.json"), "utf8")) as Record<
  string,
  unknown
>;

describe("the Python pipeline's manifest example", () => {
  it("parses with the app's contract", () => {
    const m = parseManifest(example);
    expect(m.kind).toBe("transformer");
    expect(m.featurizer).toMatchObject({ type: "hf-tokenizer", normalization: "bertweet", padTokenId: 1, maxLength: 128 });
    expect(m.labels[m.nonToxicIndex]).toBe("non-toxic");
    expect(m.onnx.outputName).toBe("logits");
  });

  it("carries a calibration block both sides accept; a manifest from before calibration still parses", () => {
    const m = parseManifest(example);
    expect(m.calibration).toMatchObject({ method: "vector", fittedOn: "validation", flagThreshold: 0.38 });
    expect(m.calibration?.scale).toHaveLength(m.labels.length);
    const { calibration: _dropped, ...before } = example;
    expect(parseManifest(before).calibration).toBeUndefined();
    expect(() => parseManifest({ ...example, calibration: { ...m.calibration, shift: [0] } })).toThrow(/one scale and one shift per label/);
  });

  it("is rejected when the non-toxic index points outside the labels", () => {
    expect(() => parseManifest({ ...example, nonToxicIndex: 9 })).toThrow(/nonToxicIndex/);
  });
});
