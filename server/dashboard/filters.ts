import type { z } from "zod";
import { ZDashboardQuery } from "@/lib/dashboard/schemas.ts";

/** The dashboard's filters, shared by every dashboard endpoint (dates are UTC days, inclusive). */
export const ZDashboardFilters = ZDashboardQuery.omit({ format: true, table: true });
export type TDashboardFilters = z.infer<typeof ZDashboardFilters>;

/**
 * WHERE clause over a rollup for the common filters. `dayColumn` is the rollup's day expression.
 * Returns SQL with $n placeholders continuing after `params`.
 */
export function whereForRollup(
  f: TDashboardFilters,
  workspaceId: number,
  opts: { dayColumn: string; hasModelVersion: boolean; categoryColumns?: string[] },
): { sql: string; params: unknown[] } {
  const params: unknown[] = [workspaceId];
  const clauses = [`workspace_id = $1`];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (f.from) add((p) => `${opts.dayColumn} >= ${p}::date`, f.from);
  if (f.to) add((p) => `${opts.dayColumn} <= ${p}::date`, f.to);
  if (f.game) add((p) => `game = ${p}`, f.game);
  if (f.channel) add((p) => `channel = ${p}`, f.channel);
  if (f.source) add((p) => `source = ${p}::"ExcerptSource"`, f.source);
  if (f.modelVersionId && opts.hasModelVersion) add((p) => `model_version_id = ${p}`, f.modelVersionId);
  if (f.categoryId && opts.categoryColumns?.length) {
    add((p) => `(${opts.categoryColumns!.map((c) => `${c} = ${p}`).join(" OR ")})`, f.categoryId);
  }
  return { sql: clauses.join(" AND "), params };
}
