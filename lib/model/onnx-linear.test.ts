import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { DEFAULT_FEATURIZER, HashedNgramFeaturizer } from "./featurize.ts";
import { buildLinearOnnx, linearForward, softmax, type TLinearWeights } from "./onnx-linear.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";

function randomModel(buckets: number, classes: number, seed = 3): TLinearWeights {
  const rand = seededRandom(seed);
  const weights = new Float32Array((buckets + 1) * classes);
  for (let i = 0; i < buckets * classes; i++) weights[i] = (rand() - 0.5) * 4;
  const bias = Float32Array.from({ length: classes }, () => rand() - 0.5);
  return { weights, bias, buckets, classes };
}

describe("buildLinearOnnx", () => {
  it("loads in onnxruntime-node and matches the JS forward pass to 1e-5 on featurized chat", async () => {
    const model = randomModel(4096, 5);
    const session = await ort.InferenceSession.create(buildLinearOnnx(model));
    expect(session.inputNames).toEqual(["indices", "values"]);
    expect(session.outputNames).toEqual(["probs"]);
    const f = new HashedNgramFeaturizer({ ...DEFAULT_FEATURIZER, buckets: 4096 });
    const texts = ["gg ez", "you absolute clown, uninstall", "", "nice save!! 🙂", "report mid pls"];
    const batch = f.featurizeBatch(texts);
    const out = await session.run({
      indices: new ort.Tensor("int64", batch.indices, [batch.batch, batch.width]),
      values: new ort.Tensor("float32", batch.values, [batch.batch, batch.width]),
    });
    expect(out.probs.dims).toEqual([5, 5]);
    const expected = linearForward(model, Array.from(batch.indices, Number), batch.values, batch.batch, batch.width);
    const got = out.probs.data as Float32Array;
    for (let r = 0; r < 5; r++) {
      let rowSum = 0;
      for (let k = 0; k < 5; k++) {
        expect(Math.abs(got[r * 5 + k] - expected[r][k])).toBeLessThan(1e-5);
        rowSum += got[r * 5 + k];
      }
      expect(rowSum).toBeCloseTo(1, 5);
    }
    // the empty text has only padding: its probabilities are softmax(bias)
    const biasOnly = softmax(model.bias);
    for (let k = 0; k < 5; k++) expect(got[2 * 5 + k]).toBeCloseTo(biasOnly[k], 6);
    await session.release();
  });

  it("accepts any batch size and width (dynamic axes)", async () => {
    const model = randomModel(64, 2, 9);
    const session = await ort.InferenceSession.create(buildLinearOnnx(model));
    for (const [b, l] of [
      [1, 1],
      [3, 7],
      [17, 2],
    ]) {
      const idx = BigInt64Array.from({ length: b * l }, (_, i) => BigInt(i % 65));
      const val = Float32Array.from({ length: b * l }, (_, i) => (i % 3) / 3);
      const out = await session.run({ indices: new ort.Tensor("int64", idx, [b, l]), values: new ort.Tensor("float32", val, [b, l]) });
      expect(out.probs.dims).toEqual([b, 2]);
      const expected = linearForward(model, Array.from(idx, Number), val, b, l);
      expected.forEach((p, r) => p.forEach((v, k) => expect(Math.abs((out.probs.data as Float32Array)[r * 2 + k] - v)).toBeLessThan(1e-5)));
    }
    await session.release();
  });

  it("refuses weights of the wrong size or a non-zero padding row", () => {
    const model = randomModel(8, 3);
    expect(() => buildLinearOnnx({ ...model, weights: model.weights.subarray(1) })).toThrow(/buckets \+ 1/);
    expect(() => buildLinearOnnx({ ...model, bias: new Float32Array(2) })).toThrow(/bias/);
    const bad = model.weights.slice();
    bad[8 * 3] = 1;
    expect(() => buildLinearOnnx({ ...model, weights: bad })).toThrow(/padding row/);
  });
});
