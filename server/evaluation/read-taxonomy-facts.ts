import { getPool } from "../db/pool.ts";

/** Every category of the workspace (retired ones too: old labels and old versions point at them). */
export async function readTaxonomyFacts(options: {
  workspaceId: number;
}): Promise<{ nameOf: Map<number, string>; nonToxicIds: number[]; flagThreshold: number }> {
  const pool = getPool();
  const [{ rows: cats }, { rows: ws }] = await Promise.all([
    pool.query<{ id: number; name: string; is_non_toxic: boolean }>(`SELECT id, name, is_non_toxic FROM category WHERE workspace_id = $1`, [
      options.workspaceId,
    ]),
    pool.query<{ flag_threshold: number }>(`SELECT flag_threshold FROM workspace WHERE id = $1`, [options.workspaceId]),
  ]);
  return {
    nameOf: new Map(cats.map((c) => [c.id, c.name])),
    nonToxicIds: cats.filter((c) => c.is_non_toxic).map((c) => c.id),
    flagThreshold: ws[0]?.flag_threshold ?? 0.5,
  };
}
