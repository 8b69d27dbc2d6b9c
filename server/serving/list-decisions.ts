import { AppError } from "@/lib/errors.ts";
import { formatIssues, ZDecisionsQuery, type TDecisionsResponse } from "@/lib/serving/contract.ts";
import { getPool } from "../db/pool.ts";
import type { TApiPrincipal } from "./api-key-cache.ts";
import type { TServingServices } from "./serving-services.ts";

/**
 * GET /api/v1/decisions?after=<cursor>&limit=<n> — moderators' decisions in the order they were made
 * (queue, review, adjudication; imports are not decisions a game needs), each with the label its
 * excerpt stands at now. The polling twin of the decision.final webhook: a client stores `next` and
 * asks again from there. Needs the key's `decisions:read` scope.
 */
export async function listDecisions(options: {
  services: TServingServices;
  principal: TApiPrincipal;
  query: Record<string, string>;
}): Promise<TDecisionsResponse> {
  const parsed = ZDecisionsQuery.safeParse(options.query);
  if (!parsed.success) throw new AppError("VALIDATION", formatIssues(parsed.error.issues).replace(/^body:/, "query:"));
  const { after, limit } = parsed.data;
  const context = await options.services.contexts.get(options.principal.workspaceId);
  const { rows } = await getPool().query<{ id: string; excerpt_id: string; external_id: string | null; category_id: number | null; created_at: Date }>(
    `SELECT d.id::text, d.excerpt_id::text, e.external_id, e.current_category_id AS category_id, d.created_at
       FROM decision d JOIN excerpt e ON e.id = d.excerpt_id
      WHERE d.workspace_id = $1 AND d.id > $2::bigint AND d.kind IN ('label', 'reversal') AND d.origin <> 'import'
      ORDER BY d.id
      LIMIT $3`,
    [options.principal.workspaceId, after ?? "0", limit],
  );
  const decisions = rows.map((r) => {
    const c = r.category_id === null ? undefined : context.categoriesById.get(r.category_id);
    return {
      decisionId: r.id,
      excerptId: r.excerpt_id,
      externalId: r.external_id,
      category: c ? { id: c.id, name: c.name, attribute: c.attribute } : null,
      isToxic: c ? !c.isNonToxic : null,
      decidedAt: r.created_at.toISOString(),
    };
  });
  return { decisions, next: rows.length > 0 ? rows[rows.length - 1].id : (after ?? null) };
}
