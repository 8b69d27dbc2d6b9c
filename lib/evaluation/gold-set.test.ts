import { describe, expect, it } from "vitest";
import { goldSourceOf, type TAuditedDecisionFact } from "./gold-set.ts";

const at = new Date("2026-11-28T10:00:00Z");
const label = (id: number, categoryId: number, isAudit: boolean): TAuditedDecisionFact => ({
  id: String(id),
  kind: "label",
  categoryId,
  reversesId: null,
  userId: 1,
  createdAt: at,
  isAudit,
});
const reversal = (id: number, target: number, isAudit = false): TAuditedDecisionFact => ({
  id: String(id),
  kind: "reversal",
  categoryId: null,
  reversesId: String(target),
  userId: 1,
  createdAt: at,
  isAudit,
});
const skip = (id: number, isAudit: boolean): TAuditedDecisionFact => ({
  id: String(id),
  kind: "skip",
  categoryId: null,
  reversesId: null,
  userId: 1,
  createdAt: at,
  isAudit,
});

describe("goldSourceOf", () => {
  it("held-out excerpts are gold whatever their decisions", () => {
    expect(goldSourceOf({ isHeldOut: true, decisions: [label(1, 4, false)] })).toEqual({ source: "held_out", categoryId: 4 });
    expect(goldSourceOf({ isHeldOut: true, decisions: [] })).toEqual({ source: "held_out", categoryId: null });
  });

  it("a label decided on the audit slice is gold", () => {
    expect(goldSourceOf({ isHeldOut: false, decisions: [label(1, 4, true)] })).toEqual({ source: "audit", categoryId: 4 });
  });

  it("labels from the ranked queue are never gold", () => {
    expect(goldSourceOf({ isHeldOut: false, decisions: [label(1, 4, false)] })).toBeNull();
    expect(goldSourceOf({ isHeldOut: false, decisions: [] })).toBeNull();
  });

  it("the standing label decides: a later ranked-queue relabel takes the excerpt out", () => {
    expect(goldSourceOf({ isHeldOut: false, decisions: [label(1, 4, true), label(2, 5, false)] })).toBeNull();
  });

  it("an undo of the later relabel brings the audit label (and the excerpt) back", () => {
    expect(goldSourceOf({ isHeldOut: false, decisions: [label(1, 4, true), label(2, 5, false), reversal(3, 2)] })).toEqual({ source: "audit", categoryId: 4 });
  });

  it("an undone audit label leaves nothing gold, and an audit skip is not a label", () => {
    expect(goldSourceOf({ isHeldOut: false, decisions: [label(1, 4, true), reversal(2, 1, true)] })).toBeNull();
    expect(goldSourceOf({ isHeldOut: false, decisions: [skip(1, true), label(2, 4, false)] })).toBeNull();
  });
});
