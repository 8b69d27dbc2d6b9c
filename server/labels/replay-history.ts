import { Readable } from "node:stream";
import { AppError } from "@/lib/errors.ts";
import { dedupKey } from "@/lib/import/normalize.ts";
import type { THistoryStep } from "@/lib/labels/decision-histories.ts";
import { submitAdjudication } from "../adjudication/submit-adjudication.ts";
import { getPool } from "../db/pool.ts";
import { importExcerpts } from "../ingest/import-excerpts.ts";
import { submitDecision } from "../queue/submit-decision.ts";
import { undoLastDecision } from "../queue/undo-last-decision.ts";

export type TReplayTarget = {
  workspaceId: number;
  excerptId: string;
  /** the lane's moderators (all senior, so they may adjudicate); a step's user is an index into it */
  userIds: number[];
  /** a step's categoryId is an index into it */
  categoryIds: number[];
  categoryNames: string[];
};

/**
 * Plays one generated history against the database through the app's own write paths: the queue's
 * decision statement (labels, late conflicts, skips, review), undo, adjudication and the importer (a
 * labelled row matching the excerpt). Overlapping moderators really overlap (two concurrent requests).
 * What the app refuses (nothing to undo, an item held by someone else, nothing to adjudicate) is part
 * of the history: it stores nothing. Redo steps cannot be made through the app and are skipped.
 * For the label-rule check (findLabelMismatches) and the fault suite; not used by the app.
 */
export async function replayHistory(target: TReplayTarget, steps: readonly THistoryStep[]): Promise<void> {
  const { workspaceId, excerptId } = target;
  const user = (i: number) => target.userIds[i % target.userIds.length];
  const category = (i: number) => target.categoryIds[i % target.categoryIds.length];
  const tolerate = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== "CONFLICT" && err.code !== "NOT_FOUND")) throw err;
    }
  };
  for (const step of steps) {
    switch (step.op) {
      case "label":
        if (step.origin === "import") {
          await importLabel(target, step.categoryId % target.categoryNames.length, user(step.user));
          break;
        }
        if (step.isLate) await getPool().query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE excerpt_id = $1`, [excerptId]);
        await submitDecision({ workspaceId, userId: user(step.user), excerptId, kind: "label", categoryId: category(step.categoryId), origin: step.origin });
        break;
      case "skip":
        await submitDecision({ workspaceId, userId: user(step.user), excerptId, kind: "skip" });
        break;
      case "undo":
        await tolerate(undoLastDecision({ workspaceId, userId: user(step.user) }));
        break;
      case "redo":
        break;
      case "adjudicate":
        await tolerate(submitAdjudication({ workspaceId, userId: user(step.user), excerptId, categoryId: category(step.categoryId) }));
        break;
      case "overlap":
        await Promise.all([
          submitDecision({
            workspaceId,
            userId: user(step.first.user),
            excerptId,
            kind: "label",
            categoryId: category(step.first.categoryId),
            origin: "review",
          }),
          submitDecision({
            workspaceId,
            userId: user(step.second.user),
            excerptId,
            kind: "label",
            categoryId: category(step.second.categoryId),
            origin: "review",
          }),
        ]);
        break;
    }
  }
}

/** A one-row JSONL import whose external id matches the excerpt: the importer labels it if it has no label. */
async function importLabel(target: TReplayTarget, categoryIndex: number, userId: number): Promise<void> {
  const externalId = `replay-${target.excerptId}`;
  await getPool().query(`UPDATE excerpt SET dedup_key = $2, external_id = $3 WHERE id = $1 AND external_id IS NULL`, [
    target.excerptId,
    dedupKey({ externalId, conversationId: null, text: "" }),
    externalId,
  ]);
  const { rows } = await getPool().query<{ text: string }>(`SELECT text FROM excerpt WHERE id = $1`, [target.excerptId]);
  const line = JSON.stringify({ external_id: externalId, text: rows[0].text, label: target.categoryNames[categoryIndex] });
  await importExcerpts({
    workspaceId: target.workspaceId,
    userId,
    input: Readable.from([`${line}\n`]),
    format: "jsonl",
    filename: "replay.jsonl",
  });
}
