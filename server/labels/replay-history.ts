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

/**
 * Plays many independent histories (one excerpt each) as replayHistory would, fast enough for 100,000 of
 * them: the imported labels that open histories (generateHistory puts an import only first, before any
 * decision) go through the importer in one JSONL file per moderator instead of one file per excerpt —
 * each row still meets an excerpt with no decisions, as it would alone — and the rest of each history is
 * played through the same write paths with `concurrency` histories at a time. Histories that run at once
 * must not share moderators (undo reverses a moderator's latest decision in the workspace), so each
 * target carries its own lane's userIds. Needs a pool of at least `concurrency` connections plus a few.
 */
export async function replayHistories(
  histories: readonly { target: TReplayTarget; steps: readonly THistoryStep[] }[],
  opts: { concurrency: number; onProgress?: (done: number) => void },
): Promise<void> {
  const imports: { target: TReplayTarget; categoryName: string; userId: number }[] = [];
  const rest = histories.map(({ target, steps }) => {
    let i = 0;
    for (; i < steps.length; i++) {
      const step = steps[i];
      if (step.op !== "label" || step.origin !== "import") break;
      imports.push({ target, categoryName: target.categoryNames[step.categoryId % target.categoryNames.length], userId: step.user });
    }
    if (steps.slice(i).some((s) => s.op === "label" && s.origin === "import")) {
      throw new Error("replayHistories: an imported label after a decision (only leading imports can be batched); use replayHistory");
    }
    return { target, steps: steps.slice(i) };
  });
  await importLabels(imports);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, opts.concurrency) }, async () => {
      while (next < rest.length) {
        const { target, steps } = rest[next++];
        await replayHistory(target, steps);
        if (++done % 1000 === 0) opts.onProgress?.(done);
      }
    }),
  );
}

const IMPORT_FILE_ROWS = 5_000;

/**
 * Imported labels for excerpts that have none yet: each excerpt gets an external id, then JSONL files
 * (per workspace and moderator, at most IMPORT_FILE_ROWS rows) whose rows carry that id, its text and
 * the label go through importExcerpts, which labels an existing unlabelled excerpt it matches.
 */
async function importLabels(imports: readonly { target: TReplayTarget; categoryName: string; userId: number }[]): Promise<void> {
  const groups = new Map<string, { workspaceId: number; userId: number; rows: { excerptId: string; categoryName: string }[] }>();
  for (const { target, categoryName, userId } of imports) {
    const uid = target.userIds[userId % target.userIds.length];
    const key = `${target.workspaceId}:${uid}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { workspaceId: target.workspaceId, userId: uid, rows: [] }));
    group.rows.push({ excerptId: target.excerptId, categoryName });
  }
  for (const group of groups.values()) {
    for (let from = 0; from < group.rows.length; from += IMPORT_FILE_ROWS) {
      const rows = group.rows.slice(from, from + IMPORT_FILE_ROWS);
      const ids = rows.map((r) => r.excerptId);
      await getPool().query(
        `UPDATE excerpt SET external_id = 'replay-' || id, dedup_key = 'x:replay-' || id WHERE id = ANY($1::bigint[]) AND external_id IS NULL`,
        [ids],
      );
      const { rows: found } = await getPool().query<{ id: string; external_id: string; text: string }>(
        `SELECT id::text, external_id, text FROM excerpt WHERE id = ANY($1::bigint[])`,
        [ids],
      );
      const byId = new Map(found.map((r) => [r.id, r]));
      const lines = rows.map((r) => {
        const e = byId.get(r.excerptId)!;
        return `${JSON.stringify({ external_id: e.external_id, text: e.text, label: r.categoryName })}\n`;
      });
      await importExcerpts({ workspaceId: group.workspaceId, userId: group.userId, input: Readable.from(lines), format: "jsonl", filename: "replay.jsonl" });
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
