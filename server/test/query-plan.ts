import { getPool } from "../db/pool.ts";

/** One node of `EXPLAIN (FORMAT JSON)` output, the fields the plan tests look at. */
export type TPlanNode = { "Node Type": string; "Join Type"?: string; "Relation Name"?: string; "Index Name"?: string; Plans?: TPlanNode[] };

/** Every node of a plan, depth first. */
export const planNodes = (n: TPlanNode): TPlanNode[] => [n, ...(n.Plans ?? []).flatMap(planNodes)];

/** `EXPLAIN (<options>, FORMAT JSON)` of a statement on the test database: its plan's nodes. */
export async function explainNodes(sql: string, values: unknown[] = [], options = "ANALYZE"): Promise<TPlanNode[]> {
  const { rows } = await getPool().query<{ "QUERY PLAN": [{ Plan: TPlanNode }] }>(`EXPLAIN (${options}, FORMAT JSON) ${sql}`, values);
  return planNodes(rows[0]["QUERY PLAN"][0].Plan);
}
