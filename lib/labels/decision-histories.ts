import { seededRandom } from "@/lib/random/seeded-random.ts";
import type { TDecisionFact } from "./derive-label.ts";

/**
 * Generated decision histories for checking that every place that computes "the label of an excerpt"
 * (lib/labels, the export's resolveLabel, the SQL that caches excerpt.current_category_id) agrees.
 * A history is what moderators did to one excerpt, as the app lets them: labels from the queue and from
 * review, late conflicts, skips, undo (a reversal of the user's latest decision) and redo (a reversal of
 * a reversal), two moderators whose transactions overlap, adjudication, and imported labels. Pure.
 */
export type THistoryStep =
  | { op: "label"; user: number; categoryId: number; origin: "queue" | "review" | "import"; isLate: boolean }
  | { op: "skip"; user: number }
  | { op: "undo"; user: number }
  | { op: "redo"; user: number }
  | { op: "adjudicate"; user: number; categoryId: number }
  /** two moderators label at once: both transactions start, then commit in either order */
  | { op: "overlap"; first: { user: number; categoryId: number }; second: { user: number; categoryId: number } };

export type THistoryOptions = { users: number; categories: number; maxSteps: number; canRedo: boolean };

/** The seeded PRNG histories are drawn with (mulberry32, lib/random). */
export const historyRandom = seededRandom;

export function generateHistory(rand: () => number, opts: THistoryOptions): THistoryStep[] {
  const pick = (n: number) => Math.floor(rand() * n);
  const user = () => pick(opts.users);
  const category = () => pick(opts.categories);
  const steps: THistoryStep[] = [];
  if (rand() < 0.15) steps.push({ op: "label", user: user(), categoryId: category(), origin: "import", isLate: false });
  const length = 1 + pick(opts.maxSteps);
  for (let i = 0; i < length; i++) {
    const r = rand();
    if (r < 0.34) steps.push({ op: "label", user: user(), categoryId: category(), origin: rand() < 0.85 ? "queue" : "review", isLate: rand() < 0.15 });
    else if (r < 0.44) steps.push({ op: "skip", user: user() });
    else if (r < 0.66) steps.push({ op: "undo", user: user() });
    else if (r < 0.74 && opts.canRedo) steps.push({ op: "redo", user: user() });
    else if (r < 0.84) steps.push({ op: "adjudicate", user: user(), categoryId: category() });
    else {
      const a = user();
      steps.push({
        op: "overlap",
        first: { user: a, categoryId: category() },
        second: { user: (a + 1 + pick(opts.users - 1)) % opts.users, categoryId: category() },
      });
    }
  }
  return steps;
}

export type TSimulatedDecision = TDecisionFact & { id: string; origin: string; createdAtMs: number };

/**
 * The decision rows a history leaves, as the database would store them: ids in commit order, created_at
 * the transaction's start (so an overlap's later commit can carry the earlier time). Undo reverses the
 * user's latest unreversed label or skip; redo reverses their latest unreversed reversal; a step with
 * nothing to undo or redo stores nothing.
 */
export function simulateHistory(steps: readonly THistoryStep[], opts: { firstId?: number; startMs?: number } = {}): TSimulatedDecision[] {
  let nextId = opts.firstId ?? 1;
  let clock = opts.startMs ?? 1_700_000_000_000;
  const out: TSimulatedDecision[] = [];
  const reversed = new Set<string>();
  const add = (d: Omit<TSimulatedDecision, "id" | "createdAt" | "createdAtMs">, startedAtMs: number) => {
    const row: TSimulatedDecision = { ...d, id: String(nextId++), createdAt: new Date(startedAtMs), createdAtMs: startedAtMs };
    out.push(row);
    if (row.kind === "reversal") reversed.add(String(row.reversesId));
    return row;
  };
  const latestOf = (user: number, kinds: readonly string[]) =>
    [...out].reverse().find((d) => d.userId === user && kinds.includes(d.kind) && !reversed.has(d.id) && (d.kind === "reversal" || d.origin !== "import"));
  for (const step of steps) {
    clock += 1000;
    switch (step.op) {
      case "label":
        add({ kind: "label", categoryId: step.categoryId, reversesId: null, userId: step.user, origin: step.origin }, clock);
        break;
      case "skip":
        add({ kind: "skip", categoryId: null, reversesId: null, userId: step.user, origin: "queue" }, clock);
        break;
      case "undo":
      case "redo": {
        const target = latestOf(step.user, step.op === "undo" ? ["label", "skip"] : ["reversal"]);
        if (target) add({ kind: "reversal", categoryId: null, reversesId: target.id, userId: step.user, origin: "queue" }, clock);
        break;
      }
      case "adjudicate":
        add({ kind: "label", categoryId: step.categoryId, reversesId: null, userId: step.user, origin: "adjudication" }, clock);
        break;
      case "overlap": {
        // the first to start commits second: its id is higher, its created_at lower
        const startedFirst = clock;
        const startedSecond = clock + 5;
        add({ kind: "label", categoryId: step.second.categoryId, reversesId: null, userId: step.second.user, origin: "queue" }, startedSecond);
        add({ kind: "label", categoryId: step.first.categoryId, reversesId: null, userId: step.first.user, origin: "queue" }, startedFirst);
        break;
      }
    }
  }
  return out;
}
