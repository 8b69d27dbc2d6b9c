import { AppError } from "@/lib/errors.ts";
import { resolveAttributes } from "@/lib/serving/attributes.ts";
import type { TServingSettings } from "@/lib/serving/contract.ts";
import { getPool } from "../db/pool.ts";

/** The machine API settings of a workspace, for its admin page: live-traffic routing and the Perspective attribute of each category. */
export async function getServingSettings(options: { workspaceId: number }): Promise<TServingSettings> {
  const pool = getPool();
  const { rows: ws } = await pool.query<{ route_flagged: boolean; route_uncertain_margin: number | null; route_audit_share: number }>(
    `SELECT route_flagged, route_uncertain_margin, route_audit_share FROM workspace WHERE id = $1`,
    [options.workspaceId],
  );
  if (!ws[0]) throw new AppError("NOT_FOUND", `Workspace ${options.workspaceId} does not exist.`);
  const { rows: categories } = await pool.query<{ id: number; name: string; is_non_toxic: boolean; api_attribute: string | null }>(
    `SELECT id, name, is_non_toxic, api_attribute FROM category WHERE workspace_id = $1 ORDER BY sort_order, id`,
    [options.workspaceId],
  );
  const resolved = resolveAttributes(categories.map((c) => ({ id: c.id, name: c.name, isNonToxic: c.is_non_toxic, apiAttribute: c.api_attribute })));
  const attributeOf = new Map([...resolved].map(([attribute, id]) => [id, attribute]));
  return {
    isRouteFlagged: ws[0].route_flagged,
    routeUncertainMargin: ws[0].route_uncertain_margin,
    routeAuditShare: ws[0].route_audit_share,
    attributes: categories.map((c) => ({
      categoryId: c.id,
      name: c.name,
      isNonToxic: c.is_non_toxic,
      attribute: attributeOf.get(c.id) ?? null,
      isExplicit: c.api_attribute !== null,
    })),
  };
}
