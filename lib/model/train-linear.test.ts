import { describe, expect, it } from "vitest";
import { DEFAULT_FEATURIZER, HashedNgramFeaturizer } from "./featurize.ts";
import { lexiconPseudoExamples, profaneTerms, profanityLikeIndex } from "./lexicon-prior.ts";
import { linearForward } from "./onnx-linear.ts";
import { packageLinearModel } from "./package-linear.ts";
import { macroF1 } from "@/lib/metrics/multiclass.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";
import { predictRows, stratifiedSplit, trainHashedLinear } from "./train-linear.ts";

const SMALL = { ...DEFAULT_FEATURIZER, buckets: 1 << 14 };

/** Synthetic chat: class 1 lines carry an insult word, class 2 lines a spam link, class 0 neither. */
function synthetic(n: number, seed: number) {
  const rand = seededRandom(seed);
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
  const filler = ["push", "mid", "the", "tower", "now", "wait", "for", "heal", "team", "go", "back", "ok", "dragon", "lane"];
  const insults = ["idiot", "loser", "trash", "clown", "moron"];
  const spam = ["free gold at scam.ru", "buy cheap skins at skins.biz", "visit gold4u.net now"];
  const texts: string[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rand() < 0.6 ? 0 : rand() < 0.6 ? 1 : 2;
    const words = Array.from({ length: 3 + Math.floor(rand() * 5) }, () => pick(filler));
    if (y === 1) words.splice(Math.floor(rand() * words.length), 0, `you ${pick(insults)}`);
    if (y === 2) words.push(pick(spam));
    texts.push(words.join(" "));
    labels.push(y);
  }
  return { texts, labels };
}

describe("stratifiedSplit", () => {
  it("puts the share of every class with ≥ 2 rows in validation and loses no row", () => {
    const labels = [...Array(50).fill(0), ...Array(10).fill(1), 2];
    const { train, validation } = stratifiedSplit(labels, 3, 0.2, seededRandom(1));
    expect(train.length + validation.length).toBe(61);
    expect(new Set([...train, ...validation]).size).toBe(61);
    const count = (ids: Int32Array, k: number) => [...ids].filter((i) => labels[i] === k).length;
    expect(count(validation, 0)).toBe(10);
    expect(count(validation, 1)).toBe(2);
    expect(count(validation, 2)).toBe(0); // a singleton class stays in training
  });
});

describe("trainHashedLinear", () => {
  it("learns a separable three-class task and generalises to unseen lines", () => {
    const train = synthetic(1500, 1);
    const test = synthetic(500, 2);
    const model = trainHashedLinear({ texts: train.texts, labels: train.labels, classes: 3, featurizer: SMALL });
    const rows = new HashedNgramFeaturizer(model.featurizer).featurizeRows(test.texts);
    expect(macroF1(test.labels, predictRows(model, rows), 3)).toBeGreaterThan(0.95);
    expect(model.iterations).toBeGreaterThanOrEqual(1);
    expect(model.validationMacroF1).toBeNull(); // no validation share unless asked for
    // the padding row is exactly zero, as the ONNX contract requires
    expect([...model.weights.subarray(SMALL.buckets * 3)]).toEqual([0, 0, 0]);
  });

  it("is reproducible for a fixed seed", () => {
    const d = synthetic(300, 5);
    const a = trainHashedLinear({ texts: d.texts, labels: d.labels, classes: 3, featurizer: SMALL });
    const b = trainHashedLinear({ texts: d.texts, labels: d.labels, classes: 3, featurizer: SMALL });
    expect(a.weights).toEqual(b.weights);
    expect(a.bias).toEqual(b.bias);
  });

  it("balances classes: a rare class still gets recalled", () => {
    const d = synthetic(2000, 7);
    // keep only 30 examples of class 2
    let kept = 0;
    const keep = d.labels.map((y) => y !== 2 || kept++ < 30);
    const texts = d.texts.filter((_, i) => keep[i]);
    const labels = d.labels.filter((_, i) => keep[i]);
    const model = trainHashedLinear({ texts, labels, classes: 3, featurizer: SMALL });
    const test = synthetic(400, 8);
    const rows = new HashedNgramFeaturizer(model.featurizer).featurizeRows(test.texts);
    const pred = predictRows(model, rows);
    const rare = test.labels.map((y, i) => [y, pred[i]]).filter(([y]) => y === 2);
    expect(rare.filter(([, p]) => p === 2).length / rare.length).toBeGreaterThan(0.9);
  });

  it("reports a validation macro-F1 from a held-out share when asked", () => {
    const d = synthetic(600, 11);
    const model = trainHashedLinear({ texts: d.texts, labels: d.labels, classes: 3, featurizer: SMALL, params: { validationShare: 0.2 } });
    expect(model.validationMacroF1).toBeGreaterThan(0.9);
  });

  it("converges to the regularised optimum: a larger C fits the training data at least as well", () => {
    const d = synthetic(400, 12);
    const rows = new HashedNgramFeaturizer(SMALL).featurizeRows(d.texts);
    const predictWithC = (C: number) =>
      predictRows(trainHashedLinear({ texts: d.texts, labels: d.labels, classes: 3, featurizer: SMALL, params: { C } }), rows);
    expect(macroF1(d.labels, predictWithC(100), 3)).toBeGreaterThanOrEqual(macroF1(d.labels, predictWithC(0.001), 3));
  });

  it("rejects labels outside the class range with the row number", () => {
    expect(() => trainHashedLinear({ texts: ["a", "b"], labels: [0, 3], classes: 2, featurizer: SMALL })).toThrow(/label 3 of row 1/);
  });

  it("with only the lexicon prior and 4 labels ranks profane lines above friendly ones", () => {
    const labelNames = ["Non-toxic", "Insult", "Profanity"];
    const pseudo = lexiconPseudoExamples({ labels: labelNames, nonToxicIndex: 0, realLabels: 4 });
    const model = trainHashedLinear({
      texts: ["gg", "nice play", "you idiot", "what a loser"],
      labels: [0, 0, 1, 1],
      classes: 3,
      featurizer: SMALL,
      pseudo,
    });
    const f = new HashedNgramFeaturizer(model.featurizer);
    const batch = f.featurizeBatch(["shut up you fucking bitch", "this shit is so bad", "good luck everyone", "thanks for the heal"]);
    const probs = linearForward(model, Array.from(batch.indices, Number), batch.values, batch.batch, batch.width);
    const toxic = probs.map((p) => 1 - p[0]);
    expect(Math.min(toxic[0], toxic[1])).toBeGreaterThan(Math.max(toxic[2], toxic[3]));
    expect(probs[0][2]).toBeGreaterThan(probs[0][1] * 0.5); // the profanity class picks up lexicon words
  });
});

describe("out-of-fold probabilities (cross-fitting)", () => {
  it("score each row with the model fitted on the other folds (pseudo-examples in every fold), and cost k extra fits", () => {
    const { texts, labels } = synthetic(300, 11);
    const folds = Int32Array.from(texts, (_, i) => i % 3);
    const pseudo = { texts: ["you idiot", "gg"], labels: [1, 0], weights: [0.5, 0.5] };
    const trained = trainHashedLinear({ texts, labels, classes: 3, featurizer: SMALL, pseudo, folds });
    const oof = trained.outOfFold!;
    expect(oof.k).toBe(3);
    expect(oof.logProbs).toHaveLength(300 * 3);
    // fold 1 by hand: train on folds 0 and 2 with the same pseudo-examples, score fold 1's texts
    const rest = texts.map((_, i) => i).filter((i) => folds[i] !== 1);
    const held = texts.map((_, i) => i).filter((i) => folds[i] === 1);
    const byHand = trainHashedLinear({ texts: rest.map((i) => texts[i]), labels: rest.map((i) => labels[i]), classes: 3, featurizer: SMALL, pseudo });
    const f = new HashedNgramFeaturizer(SMALL);
    const batch = f.featurizeBatch(held.map((i) => texts[i]));
    const probs = linearForward(byHand, Array.from(batch.indices, Number), batch.values, batch.batch, batch.width);
    for (const [j, i] of held.entries()) {
      for (let k = 0; k < 3; k++) expect(Math.exp(oof.logProbs[i * 3 + k])).toBeCloseTo(probs[j][k], 4);
    }
    // out-of-fold rows are less sure of their own labels than the full model, which saw them
    let oofSelf = 0;
    let fullSelf = 0;
    const all = f.featurizeBatch(texts);
    const full = linearForward(trained, Array.from(all.indices, Number), all.values, all.batch, all.width);
    for (let i = 0; i < texts.length; i++) {
      oofSelf += Math.exp(oof.logProbs[i * 3 + labels[i]]);
      fullSelf += full[i][labels[i]];
    }
    expect(oofSelf).toBeLessThan(fullSelf);
    // without folds, nothing extra is fitted
    expect(trainHashedLinear({ texts, labels, classes: 3, featurizer: SMALL }).outOfFold).toBeNull();
    expect(() => trainHashedLinear({ texts, labels, classes: 3, featurizer: SMALL, folds: [0, 1] })).toThrow(/folds \(2\) and texts \(300\)/);
  });
});

describe("lexicon prior", () => {
  it("reads the obscenity word list", () => {
    const terms = profaneTerms();
    expect(terms.length).toBeGreaterThan(50);
    expect(terms).toContain("fuck");
  });

  it("targets the most profanity-like category, never the non-toxic one", () => {
    expect(profanityLikeIndex(["OK", "Hate", "Profanity"], 0)).toBe(2);
    expect(profanityLikeIndex(["Insult", "Fine", "Spam"], 1)).toBe(0);
    expect(profanityLikeIndex(["Non-toxic", "Spam"], 0)).toBeNull();
    expect(lexiconPseudoExamples({ labels: ["Non-toxic", "Spam"], nonToxicIndex: 0, realLabels: 0 }).texts).toEqual([]);
  });

  it("fades as real labels accumulate", () => {
    const w0 = lexiconPseudoExamples({ labels: ["OK", "Profanity"], nonToxicIndex: 0, realLabels: 0 }).weights[0];
    const w1 = lexiconPseudoExamples({ labels: ["OK", "Profanity"], nonToxicIndex: 0, realLabels: 10_000 }).weights[0];
    expect(w1).toBeLessThan(w0 / 10);
  });
});

describe("packageLinearModel", () => {
  it("writes a manifest that validates and records the training provenance", () => {
    const d = synthetic(100, 3);
    const trained = trainHashedLinear({ texts: d.texts, labels: d.labels, classes: 3, featurizer: SMALL });
    const { onnx, manifest } = packageLinearModel(trained, {
      version: "linear-test",
      labels: ["ok", "insult", "spam"],
      nonToxicIndex: 0,
      dataset: "synthetic",
    });
    expect(onnx.length).toBeGreaterThan(SMALL.buckets * 3 * 4);
    expect(manifest.kind).toBe("hashed-linear");
    expect(manifest.featurizer).toMatchObject({ type: "hashed-ngrams", buckets: SMALL.buckets });
    expect(manifest.training.examples).toBe(100);
    expect(manifest.onnx.outputIsProbability).toBe(true);
  });
});
