import { describe, expect, it } from "vitest";
import { resolveLabel, type TDecisionInput } from "@/lib/export/resolve-label.ts";
import { generateHistory, historyRandom, simulateHistory, type TSimulatedDecision } from "./decision-histories.ts";
import { deriveLabel } from "./derive-label.ts";

/** The export reads label and reversal decisions (server/export/read-labelled-rows.ts), not skips. */
function asExportInput(decisions: readonly TSimulatedDecision[]): TDecisionInput[] {
  return decisions
    .filter((d) => d.kind !== "skip")
    .map((d) => ({
      id: d.id,
      kind: d.kind,
      userId: d.userId,
      categoryId: d.categoryId,
      reversesId: d.reversesId === null ? null : String(d.reversesId),
      origin: d.origin,
      isAudit: false,
      createdAtMs: d.createdAtMs,
      modelVersionId: null,
      suggestedCategoryId: null,
      suggestedConfidence: null,
      toxicScore: null,
    }));
}

describe("one label rule: the app (deriveLabel) and the export (resolveLabel, rule latest) agree", () => {
  it("on 20,000 generated histories (bench/faults.ts runs 100,000) with overlapping moderators, undo and redo chains, adjudication, late conflicts and imports", () => {
    const rand = historyRandom(13);
    let mismatches = 0;
    const examples: unknown[] = [];
    for (let i = 0; i < 20_000; i++) {
      const steps = generateHistory(rand, { users: 4, categories: 4, maxSteps: 8, canRedo: true });
      const decisions = simulateHistory(steps);
      const app = deriveLabel(decisions).categoryId;
      const exported = resolveLabel(asExportInput(decisions), { rule: "latest" })?.categoryId ?? null;
      if (app !== exported) {
        mismatches++;
        if (examples.length < 3) examples.push({ steps, app, exported });
      }
    }
    expect(examples).toEqual([]);
    expect(mismatches).toBe(0);
  });

  it("two moderators whose transactions overlap: the later commit is the label in both, whatever created_at says", () => {
    const decisions = simulateHistory([{ op: "overlap", first: { user: 1, categoryId: 3 }, second: { user: 2, categoryId: 2 } }]);
    expect(deriveLabel(decisions).categoryId).toBe(3);
    expect(resolveLabel(asExportInput(decisions), { rule: "latest" })!.categoryId).toBe(3);
  });

  it("a redo chain (undo, then undo of the undo) restores the label in both", () => {
    const decisions = simulateHistory([
      { op: "label", user: 1, categoryId: 2, origin: "queue", isLate: false },
      { op: "undo", user: 1 },
      { op: "redo", user: 1 },
    ]);
    expect(deriveLabel(decisions).categoryId).toBe(2);
    expect(resolveLabel(asExportInput(decisions), { rule: "latest" })!.categoryId).toBe(2);
  });

  it("a reversal of a skip, which the export never reads, changes nothing there", () => {
    const decisions = simulateHistory([
      { op: "label", user: 2, categoryId: 1, origin: "queue", isLate: false },
      { op: "skip", user: 1 },
      { op: "undo", user: 1 },
      { op: "redo", user: 1 },
    ]);
    expect(resolveLabel(asExportInput(decisions), { rule: "latest" })!.categoryId).toBe(1);
  });
});
