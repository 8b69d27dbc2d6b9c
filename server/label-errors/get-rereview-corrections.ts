import { AppError } from "@/lib/errors.ts";
import type { TRereviewCorrections } from "@/lib/label-errors/types.ts";
import { getPool } from "../db/pool.ts";

/**
 * For managers: how many labels re-review corrected, and whose (coaching, not punishment: next to each
 * moderator's labelling volume in the period, so a busy moderator's few corrections read as what they
 * are). Counts suspects settled in [from, to) (all time without bounds). Authorisation (manager or
 * admin) is the route's job, as for the other dashboard reports.
 */
export async function getRereviewCorrections({
  workspaceId,
  from,
  to,
}: {
  workspaceId: number;
  from?: Date | null;
  to?: Date | null;
}): Promise<TRereviewCorrections> {
  for (const [name, d] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (d != null && Number.isNaN(d.getTime())) throw new AppError("VALIDATION", `${name} is not a valid date.`);
  }
  if (from && to && from >= to) throw new AppError("VALIDATION", "from must be before to.");
  const pool = getPool();
  const params = [workspaceId, from ?? null, to ?? null];
  const period = `($2::timestamptz IS NULL OR s.resolved_at >= $2) AND ($3::timestamptz IS NULL OR s.resolved_at < $3)`;
  const [{ rows: byUser }, { rows: byChange }, { rows: open }] = await Promise.all([
    pool.query<{ user_id: number | null; user_name: string | null; reviewed: number; corrected: number; labels_in_period: number }>(
      `SELECT s.labelled_by_id AS user_id, u.name AS user_name, count(*)::int AS reviewed, count(*) FILTER (WHERE s.is_corrected)::int AS corrected,
              (SELECT count(*)::int FROM decision d
                WHERE d.workspace_id = $1 AND d.user_id = s.labelled_by_id AND d.kind = 'label'
                  AND ($2::timestamptz IS NULL OR d.created_at >= $2) AND ($3::timestamptz IS NULL OR d.created_at < $3)) AS labels_in_period
         FROM label_suspect s LEFT JOIN app_user u ON u.id = s.labelled_by_id
        WHERE s.workspace_id = $1 AND s.status = 'resolved' AND ${period}
        GROUP BY s.labelled_by_id, u.name
        ORDER BY count(*) FILTER (WHERE s.is_corrected) DESC, s.labelled_by_id`,
      params,
    ),
    pool.query<{ from_category_id: number; to_category_id: number; count: number }>(
      `SELECT s.category_id AS from_category_id, d.category_id AS to_category_id, count(*)::int AS count
         FROM label_suspect s JOIN decision d ON d.id = s.decision_id
        WHERE s.workspace_id = $1 AND s.status = 'resolved' AND s.is_corrected AND ${period}
        GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
      params,
    ),
    pool.query<{ open: number }>(`SELECT count(*)::int AS open FROM label_suspect WHERE workspace_id = $1 AND status = 'open'`, [workspaceId]),
  ]);
  const reviewed = byUser.reduce((a, r) => a + r.reviewed, 0);
  const corrected = byUser.reduce((a, r) => a + r.corrected, 0);
  return {
    from: from ? from.toISOString() : null,
    to: to ? to.toISOString() : null,
    open: open[0].open,
    reviewed,
    corrected,
    confirmed: reviewed - corrected,
    byLabeller: byUser.map((r) => ({
      userId: r.user_id,
      userName: r.user_name,
      reviewed: r.reviewed,
      corrected: r.corrected,
      confirmed: r.reviewed - r.corrected,
      labelsInPeriod: r.labels_in_period,
    })),
    byChange: byChange.map((r) => ({ fromCategoryId: r.from_category_id, toCategoryId: r.to_category_id, count: r.count })),
  };
}
