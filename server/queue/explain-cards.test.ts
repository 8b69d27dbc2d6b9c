import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getPool } from "../db/pool.ts";
import { loadModelSession, releaseModelSessions } from "../model/load-model-session.ts";
import { seedModelFixture, type TModelFixture } from "../model/model-fixtures.ts";
import { explainedLogOdds } from "@/lib/explain/leave-one-out.ts";
import { runModelUncalibrated } from "../model/predict-texts.ts";
import { scorePendingExcerpts } from "../model/score-pending-excerpts.ts";
import { trainModelVersion } from "../registry/train-model-version.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { claimItems } from "./claim-items.ts";
import { explainCards } from "./explain-cards.ts";

let drop: () => Promise<void>;
let fx: TModelFixture;
let modelVersionId: number;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  fx = await seedModelFixture({ labelled: 120, unlabelled: 40 });
  ({ modelVersionId } = await trainModelVersion({ workspaceId: fx.workspaceId, trainedById: fx.userId, activate: true }));
  while ((await scorePendingExcerpts({ workspaceId: fx.workspaceId })).scored > 0) {
    /* every excerpt scored and queued */
  }
});

afterAll(async () => {
  await releaseModelSessions();
  await drop();
});

describe("word highlights on served cards", () => {
  it("claims cards whose highlights are words of the text, and leaving such a word out really lowers the score", async () => {
    const cards = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userId, limit: 20 });
    expect(cards.length).toBeGreaterThan(5);
    const { rows } = await getPool().query<{ category_ids: number[]; manifest: { nonToxicIndex: number } }>(
      `SELECT category_ids, manifest FROM model_version WHERE id = $1`,
      [modelVersionId],
    );
    const nonToxicIndex = rows[0].manifest.nonToxicIndex;
    let highlighted = 0;
    for (const card of cards) {
      expect(card.explanation).not.toBeNull();
      const suggestedIndex = rows[0].category_ids.indexOf(card.suggestion!.categoryId);
      expect(card.explanation!.target).toBe(suggestedIndex === nonToxicIndex ? "toxic" : "category");
      for (const h of card.explanation!.highlights) {
        highlighted++;
        const word = card.text.slice(h.start, h.end);
        expect(word).toMatch(/^[\p{L}\p{N}]/u);
        // recompute independently: the text with that word blanked scores lower by the stated weight
        const model = await loadModelSession(modelVersionId);
        const [whole, without] = await runModelUncalibrated(model, [card.text, `${card.text.slice(0, h.start)} ${card.text.slice(h.end)}`]);
        const score = (r: Float32Array) => explainedLogOdds(r, model.manifest.onnx.outputIsProbability, nonToxicIndex, suggestedIndex);
        expect(score(whole) - score(without)).toBeCloseTo(h.weight, 2);
        expect(h.weight).toBeGreaterThanOrEqual(0.4);
      }
    }
    // the swears the fixture's Profanity labels are made of are what drives that suggestion
    expect(highlighted).toBeGreaterThan(0);
    const swearing = cards.filter((c) => c.suggestion!.categoryId === fx.categoryIds.profanity && /\b(fuck|bitch|shit)\b/.test(c.text));
    expect(swearing.length).toBeGreaterThan(0);
    expect(swearing.some((c) => c.explanation!.highlights.some((h) => /^(fuck|bitch|shit)$/.test(c.text.slice(h.start, h.end))))).toBe(true);
  });

  it("serves cards without highlights, rather than failing, when the model cannot be run", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userId, limit: 1 });
    const broken = { ...card, suggestion: { ...card.suggestion!, modelVersionId: 999_999 } };
    const [out] = await explainCards([broken]);
    expect(out.explanation).toBeNull();
    expect(out.text).toBe(card.text);
  });

  it("does not re-read a version that failed to load on every claim (a broken version stays broken)", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userId, limit: 1 });
    const broken = { ...card, suggestion: { ...card.suggestion!, modelVersionId: 999_998 } };
    const pool = getPool();
    const query = vi.spyOn(pool, "query");
    try {
      for (let i = 0; i < 5; i++) expect((await explainCards([broken]))[0].explanation).toBeNull();
      const modelReads = query.mock.calls.filter(([sql]) => typeof sql === "string" && sql.includes("FROM model_version"));
      expect(modelReads).toHaveLength(1);
    } finally {
      query.mockRestore();
    }
  });
});
