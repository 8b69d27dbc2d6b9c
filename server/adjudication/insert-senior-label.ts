import type { ADJUDICATION_ORIGIN, REREVIEW_ORIGIN, TDerivedLabel } from "@/lib/labels/derive-label.ts";
import { AppError } from "@/lib/errors.ts";
import type pg from "pg";
import { sqlInt } from "../db/sql-int.ts";
import { derivedLabelUpdate, type TLockedExcerpt } from "../queue/lock-excerpt-for-decision.ts";

type TSeniorLabelOptions = {
  workspaceId: number;
  userId: number;
  excerptId: string;
  categoryId: number;
  note?: string;
  /** adjudication (a disputed overlap item) or rereview (a suspected label error): both a senior's final word */
  origin: typeof ADJUDICATION_ORIGIN | typeof REREVIEW_ORIGIN;
  /** the excerpt, locked by lockExcerptForDecision in the caller's transaction */
  locked: TLockedExcerpt;
};

/**
 * Inside the caller's transaction, after the excerpt is locked: stores a senior's label (the suggestion
 * the moderators saw snapshotted with it, as for any decision) and writes the excerpt's label as
 * lib/labels derives it. The category must be an active one of the workspace (422 otherwise).
 */
export async function insertSeniorLabel(
  client: pg.PoolClient,
  { workspaceId, userId, excerptId, categoryId, note, origin, locked }: TSeniorLabelOptions,
): Promise<{ decisionId: string; derived: TDerivedLabel }> {
  const { rows: valid } = await client.query(`SELECT 1 FROM category WHERE id = ${sqlInt(categoryId)} AND workspace_id = ${sqlInt(workspaceId)} AND is_active`);
  if (valid.length === 0) throw new AppError("VALIDATION", `Category ${categoryId} is not an active category of this workspace; reload the category list.`);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, model_version_id, suggested_category_id,
                           suggested_confidence, toxic_score, is_audit, note)
     VALUES ($1, $2, $3, 'label', $4::text::"DecisionOrigin", $5, $6, $7, $8, $9, $10, $11) RETURNING id::text`,
    [
      workspaceId,
      excerptId,
      userId,
      origin,
      categoryId,
      locked.modelVersionId,
      locked.suggestedCategoryId,
      locked.suggestedConfidence,
      locked.toxicScore,
      locked.isAudit,
      note ?? null,
    ],
  );
  const { derived, sql } = derivedLabelUpdate(locked, excerptId, { kind: "label", categoryId, reversesId: null, userId, origin });
  await client.query(sql);
  return { decisionId: rows[0].id, derived };
}
