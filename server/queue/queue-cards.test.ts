import { describe, expect, it } from "vitest";
import { toCard, type TCardRow } from "./queue-cards.ts";

const row: TCardRow = {
  excerpt_id: "42",
  lease_expires_at: new Date("2026-11-28T10:05:00Z"),
  is_audit: true,
  is_flagged: false,
  is_held: false,
  ord: 1,
  text: "<script>alert(1)</script>",
  source: "voice",
  game: "dota2",
  channel: "ch-1",
  conversation_id: "c1",
  speaker_id: "p7",
  occurred_at: new Date("2026-11-28T10:00:00Z"),
  suggested_category_id: 12,
  confidence: 0.625,
  toxic_score: 0.75,
  probs: [0.25, 0.625, 0.125],
  model_version_id: 3,
  model_version: "linear-1",
  category_ids: [10, 12, 11],
  context_before: [{ excerptId: "41", text: "hi", speakerId: "p1", occurredAt: "2026-11-28T09:59:59+00:00" }],
  context_after: null,
  speaker_history: null,
};

describe("toCard", () => {
  it("maps each model output to its category id through category_ids", () => {
    expect(toCard(row).suggestion).toEqual({
      categoryId: 12,
      confidence: 0.625,
      toxicScore: 0.75,
      modelVersionId: 3,
      modelVersion: "linear-1",
      probsByCategoryId: { 10: 0.25, 12: 0.625, 11: 0.125 },
    });
  });

  it("normalises times to ISO strings, including context lines rendered by json_build_object", () => {
    const card = toCard(row);
    expect(card.leaseExpiresAt).toBe("2026-11-28T10:05:00.000Z");
    expect(card.occurredAt).toBe("2026-11-28T10:00:00.000Z");
    expect(card.context.before).toEqual([{ excerptId: "41", text: "hi", speakerId: "p1", occurredAt: "2026-11-28T09:59:59.000Z" }]);
    expect(card.context.after).toEqual([]);
  });

  it("passes text through untouched (escaping is the UI's job) and keeps the flags", () => {
    const card = toCard(row);
    expect(card.text).toBe("<script>alert(1)</script>");
    expect(card).toMatchObject({ excerptId: "42", source: "voice", isAudit: true, isFlagged: false, game: "dota2", channel: "ch-1" });
  });

  it("has no suggestion without a prediction, and tolerates a model without category ids", () => {
    expect(toCard({ ...row, suggested_category_id: null, model_version_id: null }).suggestion).toBeNull();
    expect(toCard({ ...row, category_ids: null }).suggestion!.probsByCategoryId).toEqual({});
    expect(toCard({ ...row, occurred_at: null }).occurredAt).toBeNull();
  });
});
