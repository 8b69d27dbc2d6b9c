import { getPool } from "../db/pool.ts";

/** Examples shown per category beside the queue, and the longest text that still reads at a glance. */
const EXAMPLES_PER_CATEGORY = 2;
const MAX_EXAMPLE_CHARS = 140;

/**
 * A couple of short excerpts whose standing label is each active category, for the guideline panel.
 * Each lateral lookup walks excerpt_workspace_id_current_category_id_idx and stops at the first short
 * matches, so the cost does not grow with the size of a category. Held-out (imported test) excerpts are left out:
 * showing them next to the queue would teach moderators the test set.
 */
export async function getCategoryExamples({ workspaceId }: { workspaceId: number }): Promise<Record<number, string[]>> {
  const { rows } = await getPool().query<{ category_id: number; texts: string[] }>(
    `SELECT c.id AS category_id, array_agg(ex.text ORDER BY ex.id) AS texts
       FROM category c
       CROSS JOIN LATERAL (
         SELECT e.id, e.text FROM excerpt e
          WHERE e.workspace_id = c.workspace_id AND e.current_category_id = c.id
            AND NOT e.held_out AND char_length(e.text) BETWEEN 4 AND $2
          LIMIT $3
       ) ex
      WHERE c.workspace_id = $1 AND c.is_active
      GROUP BY c.id`,
    [workspaceId, MAX_EXAMPLE_CHARS, EXAMPLES_PER_CATEGORY],
  );
  return Object.fromEntries(rows.map((r) => [r.category_id, r.texts]));
}
