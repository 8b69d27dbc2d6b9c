import { describe, expect, it } from "vitest";
import { normaliseText } from "../export/normalise.ts";
import { assignFolds, type TCrossFitRow } from "./cross-fit.ts";

function rows(n: number): TCrossFitRow[] {
  return Array.from({ length: n }, (_, i) => ({
    key: String(i + 1),
    // conversations of 4 lines; every 10th line a stock phrase in many conversations
    conversation: `match-${Math.floor(i / 4)}`,
    text: i % 10 === 3 ? "GG   wp!!" : i % 7 === 0 ? `same insult ${i % 3}` : `line ${i} of chat`,
    label: i % 5 === 0 ? 1 : 0,
  }));
}

describe("cross-fitting folds", () => {
  it("keep conversations and normalised near-duplicates in one fold", () => {
    const data = rows(400);
    const folds = assignFolds(data, { k: 5 });
    const foldBy = (key: (r: TCrossFitRow) => string, isHub: (r: TCrossFitRow) => boolean) => {
      const seen = new Map<string, number>();
      for (const [i, r] of data.entries()) {
        if (isHub(r)) continue;
        const k = key(r);
        if (seen.has(k)) expect(folds[i], `${k}`).toBe(seen.get(k));
        else seen.set(k, folds[i]);
      }
    };
    // "gg wp" is in 40 conversations (> 20: a hub): its copies share a fold, its conversations need not
    foldBy(
      (r) => normaliseText(r.text),
      () => false,
    );
    foldBy(
      (r) => r.conversation!,
      (r) => normaliseText(r.text) === "gg wp",
    );
  });

  it("spread every class over the k folds about evenly, deterministically", () => {
    const data = rows(1000);
    const folds = assignFolds(data, { k: 5 });
    expect(Array.from(assignFolds(data, { k: 5 }))).toEqual(Array.from(folds));
    for (const label of [0, 1]) {
      const counts = [0, 0, 0, 0, 0];
      data.forEach((r, i) => r.label === label && counts[folds[i]]++);
      const share = counts.reduce((a, b) => a + b) / 5;
      // groups here are conversations (4 rows, mixed labels) plus the hub's 100 non-toxic copies, dealt whole
      for (const c of counts) expect(Math.abs(c - share)).toBeLessThanOrEqual(label === 0 ? 25 : 3);
    }
    expect(new Set(folds).size).toBe(5);
  });

  it("a different seed deals differently; k < 2 is refused", () => {
    const data = rows(200);
    expect(Array.from(assignFolds(data, { seed: "a" }))).not.toEqual(Array.from(assignFolds(data, { seed: "b" })));
    expect(() => assignFolds(data, { k: 1 })).toThrow(/k must be/);
  });
});
