import { AppError } from "@/lib/errors.ts";
import { formatIssues, ZRoutingSettings, type TRoutingSettings, type TServingSettings } from "@/lib/serving/contract.ts";
import { getPool } from "../db/pool.ts";
import { getServingSettings } from "./get-serving-settings.ts";

/**
 * Changes how live traffic enters the review queue. Applies to lines classified from now on (the API
 * processes hear of it through the workspace trigger's NOTIFY); items already queued keep their place and
 * their audit flag, so a larger audit share never turns earlier flagged items into audit ones.
 */
export async function updateRoutingSettings(options: { workspaceId: number; settings: TRoutingSettings }): Promise<TServingSettings> {
  const parsed = ZRoutingSettings.safeParse(options.settings);
  if (!parsed.success) throw new AppError("VALIDATION", formatIssues(parsed.error.issues));
  const s = parsed.data;
  const { rowCount } = await getPool().query(
    `UPDATE workspace SET route_flagged = coalesce($2, route_flagged),
            route_uncertain_margin = CASE WHEN $3 THEN $4::float8 ELSE route_uncertain_margin END,
            route_audit_share = coalesce($5, route_audit_share)
      WHERE id = $1`,
    [options.workspaceId, s.isRouteFlagged ?? null, s.routeUncertainMargin !== undefined, s.routeUncertainMargin ?? null, s.routeAuditShare ?? null],
  );
  if (!rowCount) throw new AppError("NOT_FOUND", `Workspace ${options.workspaceId} does not exist.`);
  return getServingSettings({ workspaceId: options.workspaceId });
}
