import type { TExcerptOrigin } from "@/lib/excerpts/contract.ts";
import { AppError } from "@/lib/errors.ts";
import { getPool } from "../db/pool.ts";

export type TExcerptDecision = {
  id: string;
  kind: "label" | "skip" | "reversal";
  origin: "queue" | "import" | "review";
  categoryId: number | null;
  reversesId: string | null;
  isReversed: boolean;
  userName: string;
  userEmail: string;
  modelVersion: string | null;
  suggestedCategoryId: number | null;
  suggestedConfidence: number | null;
  toxicScore: number | null;
  isAudit: boolean;
  isLateConflict: boolean;
  durationMs: number | null;
  note: string | null;
  createdAt: string;
};

export type TExcerptPrediction = {
  modelVersionId: number;
  modelVersion: string;
  modelStatus: string;
  isActive: boolean;
  toxicScore: number;
  suggestedCategoryId: number;
  confidence: number;
  probs: number[];
  categoryIds: number[];
  createdAt: string;
};

export type TConversationLine = { id: string; text: string; speakerId: string | null; occurredAt: string | null; currentCategoryId: number | null };

export type TExcerptHistory = {
  excerpt: TExcerptOrigin & {
    id: string;
    externalId: string | null;
    createdAt: string;
    currentCategoryId: number | null;
    heldOut: boolean;
    importBatchId: number | null;
  };
  queue: { isOpen: boolean; isFlagged: boolean; isAudit: boolean; leasedBy: string | null; leaseExpiresAt: string | null } | null;
  decisions: TExcerptDecision[];
  predictions: TExcerptPrediction[];
  conversation: TConversationLine[];
};

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

type TGetExcerptHistoryOptions = { workspaceId: number; excerptId: string; conversationWindow?: number };

/** Everything known about one excerpt: every decision (skips, reversals, late conflicts, notes), every model's prediction, the conversation. */
export async function getExcerptHistory({ workspaceId, excerptId, conversationWindow = 15 }: TGetExcerptHistoryOptions): Promise<TExcerptHistory> {
  const pool = getPool();
  const { rows: excerpts } = await pool.query(
    `SELECT id::text AS id, external_id AS "externalId", text, source, game, channel, conversation_id AS "conversationId",
            speaker_id AS "speakerId", occurred_at AS "occurredAt", created_at AS "createdAt",
            current_category_id AS "currentCategoryId", held_out AS "heldOut", import_batch_id AS "importBatchId"
     FROM excerpt WHERE id = $1::bigint AND workspace_id = $2`,
    [excerptId, workspaceId],
  );
  const excerpt = excerpts[0];
  if (!excerpt) throw new AppError("NOT_FOUND", `Excerpt ${excerptId} does not exist in this workspace.`);

  const [decisions, predictions, queue, conversation] = await Promise.all([
    pool.query(
      `SELECT d.id::text AS id, d.kind, d.origin, d.category_id AS "categoryId", d.reverses_id::text AS "reversesId",
              EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = d.id) AS "isReversed",
              u.name AS "userName", u.email AS "userEmail", mv.version AS "modelVersion",
              d.suggested_category_id AS "suggestedCategoryId", d.suggested_confidence AS "suggestedConfidence",
              d.toxic_score AS "toxicScore", d.is_audit AS "isAudit", d.is_late_conflict AS "isLateConflict",
              d.duration_ms AS "durationMs", d.note, d.created_at AS "createdAt"
       FROM decision d JOIN app_user u ON u.id = d.user_id LEFT JOIN model_version mv ON mv.id = d.model_version_id
       WHERE d.excerpt_id = $1::bigint ORDER BY d.id DESC`,
      [excerptId],
    ),
    pool.query(
      `SELECT p.model_version_id AS "modelVersionId", mv.version AS "modelVersion", mv.status AS "modelStatus",
              (w.active_model_version_id = mv.id) AS "isActive", p.toxic_score AS "toxicScore",
              p.suggested_category_id AS "suggestedCategoryId", p.confidence, p.probs, mv.category_ids AS "categoryIds",
              p.created_at AS "createdAt"
       FROM prediction p JOIN model_version mv ON mv.id = p.model_version_id JOIN workspace w ON w.id = mv.workspace_id
       WHERE p.excerpt_id = $1::bigint ORDER BY mv.created_at DESC`,
      [excerptId],
    ),
    pool.query(
      `SELECT q.is_open AS "isOpen", q.is_flagged AS "isFlagged", q.is_audit AS "isAudit", u.name AS "leasedBy",
              q.lease_expires_at AS "leaseExpiresAt"
       FROM queue_item q LEFT JOIN app_user u ON u.id = q.leased_by_id WHERE q.excerpt_id = $1::bigint`,
      [excerptId],
    ),
    excerpt.conversationId
      ? pool.query(
          // the lines around this one in its conversation, in the order they were said
          `(SELECT id::text AS id, text, speaker_id AS "speakerId", occurred_at AS "occurredAt", current_category_id AS "currentCategoryId"
              FROM excerpt WHERE workspace_id = $1 AND conversation_id = $2
                AND (occurred_at, id) < ($3::timestamptz, $4::bigint)
              ORDER BY occurred_at DESC NULLS LAST, id DESC LIMIT $5)
           UNION ALL
           (SELECT id::text, text, speaker_id, occurred_at, current_category_id
              FROM excerpt WHERE workspace_id = $1 AND conversation_id = $2
                AND (occurred_at, id) >= ($3::timestamptz, $4::bigint)
              ORDER BY occurred_at ASC NULLS LAST, id ASC LIMIT $5 + 1)`,
          [workspaceId, excerpt.conversationId, excerpt.occurredAt ?? excerpt.createdAt, excerptId, conversationWindow],
        )
      : Promise.resolve({ rows: [] }),
  ]);

  const lines = (conversation.rows as TConversationLine[])
    .map((l) => ({ ...l, occurredAt: iso(l.occurredAt) }))
    .sort((a, b) => (a.occurredAt ?? "").localeCompare(b.occurredAt ?? "") || Number(BigInt(a.id) - BigInt(b.id)));
  const q = queue.rows[0];
  return {
    excerpt: { ...excerpt, occurredAt: iso(excerpt.occurredAt), createdAt: iso(excerpt.createdAt)! },
    queue: q ? { ...q, leaseExpiresAt: iso(q.leaseExpiresAt) } : null,
    decisions: decisions.rows.map((d) => ({ ...d, createdAt: iso(d.createdAt)! })),
    predictions: predictions.rows.map((p) => ({ ...p, createdAt: iso(p.createdAt)! })),
    conversation: lines,
  };
}
