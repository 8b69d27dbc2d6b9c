import { getPool } from "../db/pool.ts";
import type { TDashboardFilters } from "./filters.ts";
import type { TCellExcerpt } from "@/lib/dashboard/contract.ts";

/**
 * Drill-down: the excerpts behind one confusion-matrix cell (moderator label × model suggestion),
 * newest first, with the same filters as the dashboard. Standing label decisions only.
 */
export async function listCellExcerpts({
  workspaceId,
  filters,
  suggestedCategoryId,
  categoryId,
  limit = 50,
}: {
  workspaceId: number;
  filters: TDashboardFilters;
  suggestedCategoryId: number;
  categoryId: number;
  limit?: number;
}): Promise<TCellExcerpt[]> {
  const params: unknown[] = [workspaceId, suggestedCategoryId, categoryId, limit];
  const clauses: string[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filters.from) add((p) => `d.created_at >= ${p}::date`, filters.from);
  if (filters.to) add((p) => `d.created_at < ${p}::date + 1`, filters.to);
  if (filters.game) add((p) => `e.game = ${p}`, filters.game);
  if (filters.channel) add((p) => `e.channel = ${p}`, filters.channel);
  if (filters.source) add((p) => `e.source = ${p}::"ExcerptSource"`, filters.source);
  if (filters.modelVersionId) add((p) => `d.model_version_id = ${p}`, filters.modelVersionId);
  if (filters.slice === "audit") clauses.push("d.is_audit");
  const { rows } = await getPool().query<{
    excerpt_id: string;
    text: string;
    game: string | null;
    channel: string | null;
    source: string;
    created_at: Date;
    moderator: string;
    suggested_category_id: number;
    category_id: number;
    suggested_confidence: number | null;
    is_audit: boolean;
  }>(
    `SELECT d.excerpt_id, e.text, e.game, e.channel, e.source::text AS source, d.created_at, u.name AS moderator,
            d.suggested_category_id, d.category_id, d.suggested_confidence, d.is_audit
     FROM decision d
     JOIN excerpt e ON e.id = d.excerpt_id
     JOIN app_user u ON u.id = d.user_id
     WHERE d.workspace_id = $1 AND d.kind = 'label' AND d.suggested_category_id = $2 AND d.category_id = $3
       AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = d.id)
       ${clauses.map((c) => `AND ${c}`).join(" ")}
     ORDER BY d.created_at DESC, d.id DESC
     LIMIT $4`,
    params,
  );
  return rows.map((r) => ({
    excerptId: String(r.excerpt_id),
    text: r.text,
    game: r.game,
    channel: r.channel,
    source: r.source,
    decidedAt: r.created_at.toISOString(),
    moderator: r.moderator,
    suggestedCategoryId: r.suggested_category_id,
    categoryId: r.category_id,
    confidence: r.suggested_confidence,
    isAudit: r.is_audit,
  }));
}
