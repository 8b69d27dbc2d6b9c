import { isUniqueViolation } from "../db/pg-errors.ts";
import { AppError } from "@/lib/errors.ts";
import { ATTRIBUTE_NAME, TOXICITY } from "@/lib/serving/attributes.ts";
import type { TServingSettings } from "@/lib/serving/contract.ts";
import { getPool } from "../db/pool.ts";
import { getServingSettings } from "./get-serving-settings.ts";

/**
 * Names the Perspective attribute a category answers under (e.g. a "Bullying" category as INSULT), or
 * clears it (null: matched by name again). TOXICITY is the toxic score and cannot be taken; two
 * categories of a workspace cannot share a name. Served from the API's next request (NOTIFY).
 */
export async function setCategoryAttribute(options: { workspaceId: number; categoryId: number; attribute: string | null }): Promise<TServingSettings> {
  const attribute = options.attribute === null ? null : options.attribute.trim().toUpperCase();
  if (attribute !== null && !ATTRIBUTE_NAME.test(attribute)) {
    throw new AppError("VALIDATION", "attribute: use upper-case letters, digits and _ (e.g. INSULT), starting with a letter, at most 64 characters.");
  }
  if (attribute === TOXICITY) throw new AppError("VALIDATION", "attribute: TOXICITY is the toxic score of every text; pick another name.");
  if (!Number.isInteger(options.categoryId) || options.categoryId < 1 || options.categoryId > 2 ** 31 - 1) {
    throw new AppError("NOT_FOUND", `Category ${options.categoryId} does not exist in this workspace.`);
  }
  const pool = getPool();
  const { rows } = await pool.query<{ is_non_toxic: boolean }>(`SELECT is_non_toxic FROM category WHERE id = $1 AND workspace_id = $2`, [
    options.categoryId,
    options.workspaceId,
  ]);
  if (!rows[0]) throw new AppError("NOT_FOUND", `Category ${options.categoryId} does not exist in this workspace.`);
  if (rows[0].is_non_toxic && attribute !== null) {
    throw new AppError("VALIDATION", "attribute: the non-toxic category answers as 1 − TOXICITY; only toxic categories get an attribute.");
  }
  try {
    await pool.query(`UPDATE category SET api_attribute = $3 WHERE id = $1 AND workspace_id = $2`, [options.categoryId, options.workspaceId, attribute]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `Another category of this workspace already answers as ${attribute}; clear it there first.`);
    throw err;
  }
  return getServingSettings({ workspaceId: options.workspaceId });
}
