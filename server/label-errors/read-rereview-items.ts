import type { TLabelBy, TNearDuplicate, TRereviewItem } from "@/lib/label-errors/types.ts";
import { getPool } from "../db/pool.ts";
import { cardsSql, toCard, type TCardRow } from "../queue/queue-cards.ts";

// The queue's card (text, conversation around it, the active model's calibrated suggestion), for
// suspects in the given order. A labelled excerpt has no open queue item: the card's prediction is the
// active version's, when it has scored the excerpt.
const CARDS_SQL = cardsSql(`
WITH items AS (
  SELECT s.excerpt_id, coalesce(s.lease_expires_at, now()) AS lease_expires_at, false AS is_audit, false AS is_flagged,
         (SELECT p.id FROM prediction p JOIN workspace w ON w.id = s.workspace_id
           WHERE p.excerpt_id = s.excerpt_id AND p.model_version_id = w.active_model_version_id) AS prediction_id,
         false AS is_held, u.ord::int AS ord
  FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, ord) JOIN label_suspect s ON s.id = u.id
)`);

type TSuspectRow = {
  id: string;
  excerpt_id: string;
  status: "open" | "superseded";
  category_id: number;
  current_category_id: number | null;
  label_decision_id: string | null;
  suggested_category_id: number;
  probs: number[];
  quality: number;
  model_version_id: number;
  version: string;
  category_ids: number[];
  peer_excerpt_ids: string[];
  leased_by_id: number | null;
  lease_expires_at: Date | null;
  created_at: Date;
};

type TLabelRow = { decision_id: string; excerpt_id: string; user_id: number; user_name: string; category_id: number; origin: string; created_at: Date };

const toLabel = (r: TLabelRow): TLabelBy => ({
  decisionId: r.decision_id,
  userId: r.user_id,
  userName: r.user_name,
  categoryId: r.category_id,
  origin: r.origin,
  decidedAt: r.created_at.toISOString(),
});

/** The re-review items for these suspect ids (in that order), with all their evidence, in four queries. */
export async function readRereviewItems({ workspaceId, suspectIds }: { workspaceId: number; suspectIds: string[] }): Promise<TRereviewItem[]> {
  if (suspectIds.length === 0) return [];
  const pool = getPool();
  const { rows: suspects } = await pool.query<TSuspectRow>(
    `SELECT s.id::text AS id, s.excerpt_id::text AS excerpt_id, s.status, s.category_id, e.current_category_id,
            s.label_decision_id::text AS label_decision_id, s.suggested_category_id, s.probs, s.quality, s.model_version_id,
            mv.version, mv.category_ids, s.peer_excerpt_ids::text[] AS peer_excerpt_ids, s.leased_by_id, s.lease_expires_at, s.created_at
       FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, ord)
       JOIN label_suspect s ON s.id = u.id AND s.workspace_id = $2
       JOIN excerpt e ON e.id = s.excerpt_id
       JOIN model_version mv ON mv.id = s.model_version_id
      ORDER BY u.ord`,
    [suspectIds, workspaceId],
  );
  if (suspects.length === 0) return [];
  const peerIds = [...new Set(suspects.flatMap((s) => s.peer_excerpt_ids))];
  const [{ rows: cards }, { rows: labels }, { rows: peers }] = await Promise.all([
    pool.query<TCardRow>(CARDS_SQL, [suspects.map((s) => s.id)]),
    // standing label decisions (not undone) of the suspects and their near-duplicates
    pool.query<TLabelRow>(
      `SELECT d.id::text AS decision_id, d.excerpt_id::text AS excerpt_id, d.user_id, u.name AS user_name, d.category_id, d.origin::text AS origin, d.created_at
         FROM decision d JOIN app_user u ON u.id = d.user_id
        WHERE d.excerpt_id = ANY ($1::bigint[]) AND d.kind = 'label'
          AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = d.id AND r.kind = 'reversal'
                            AND NOT EXISTS (SELECT 1 FROM decision rr WHERE rr.reverses_id = r.id))
        ORDER BY d.excerpt_id, d.id`,
      [[...suspects.map((s) => s.excerpt_id), ...peerIds]],
    ),
    pool.query<{ id: string; text: string; current_category_id: number | null }>(
      `SELECT id::text AS id, text, current_category_id FROM excerpt WHERE id = ANY ($1::bigint[]) AND workspace_id = $2`,
      [peerIds, workspaceId],
    ),
  ]);
  const cardByExcerpt = new Map(cards.map((c) => [c.excerpt_id, toCard(c)]));
  const labelsByExcerpt = new Map<string, TLabelBy[]>();
  for (const r of labels) labelsByExcerpt.set(r.excerpt_id, [...(labelsByExcerpt.get(r.excerpt_id) ?? []), toLabel(r)]);
  const peerById = new Map<string, TNearDuplicate>(
    peers.map((p) => [p.id, { excerptId: p.id, text: p.text, currentCategoryId: p.current_category_id, labels: labelsByExcerpt.get(p.id) ?? [] }]),
  );
  return suspects.map((s) => {
    const own = labelsByExcerpt.get(s.excerpt_id) ?? [];
    return {
      suspectId: s.id,
      card: cardByExcerpt.get(s.excerpt_id)!,
      status: s.status,
      flaggedCategoryId: s.category_id,
      currentCategoryId: s.current_category_id,
      labelledBy: own.find((l) => l.decisionId === s.label_decision_id) ?? null,
      suggestedCategoryId: s.suggested_category_id,
      outOfFold: s.category_ids.map((categoryId, k) => ({ categoryId, probability: s.probs[k] })).sort((a, b) => b.probability - a.probability),
      quality: s.quality,
      modelVersionId: s.model_version_id,
      modelVersion: s.version,
      labels: own,
      nearDuplicates: s.peer_excerpt_ids.map((id) => peerById.get(id)).filter((p): p is TNearDuplicate => p !== undefined),
      leasedById: s.leased_by_id,
      leaseExpiresAt: s.lease_expires_at ? s.lease_expires_at.toISOString() : null,
      flaggedAt: s.created_at.toISOString(),
    };
  });
}
