import { AppError } from "@/lib/errors.ts";
import type { TCategory, TUpdateCategory } from "@/lib/taxonomy/contract.ts";
import { inTransaction } from "../db/transaction.ts";
import { assertCategoryRules, CATEGORY_COLUMNS, lockCategories } from "./assert-category-rules.ts";

type TUpdateCategoryOptions = { workspaceId: number; categoryId: number; changes: TUpdateCategory };

/** The columns an edit may set, by their names in TUpdateCategory. */
const SETTABLE = {
  name: "name",
  description: "description",
  color: "color",
  hotkey: "hotkey",
  sortOrder: "sort_order",
  isActive: "is_active",
  isNonToxic: "is_non_toxic",
} as const;

/**
 * Edits a category. Categories are never deleted (labels point at them); retiring one means
 * isActive=false. The non-toxic class cannot be deactivated; making another category the
 * non-toxic class moves the flag in one transaction, so there is always exactly one.
 */
export async function updateCategory({ workspaceId, categoryId, changes }: TUpdateCategoryOptions): Promise<TCategory> {
  return inTransaction(async (client) => {
    await lockCategories(client, workspaceId);
    const { rows: found } = await client.query<{ hotkey: number | null; is_active: boolean; is_non_toxic: boolean }>(
      `SELECT hotkey, is_active, is_non_toxic FROM category WHERE id = $1 AND workspace_id = $2`,
      [categoryId, workspaceId],
    );
    const current = found[0];
    if (!current) throw new AppError("NOT_FOUND", `Category ${categoryId} does not exist in this workspace.`);
    const isActive = changes.isActive ?? current.is_active;
    if (current.is_non_toxic && changes.isActive === false) {
      throw new AppError("CONFLICT", "The non-toxic class cannot be deactivated: make another category non-toxic first.");
    }
    if (changes.isNonToxic && !isActive) throw new AppError("CONFLICT", "Only an active category can be the non-toxic class.");
    await assertCategoryRules({
      client,
      workspaceId,
      categoryId,
      name: changes.name,
      hotkey: changes.hotkey !== undefined ? changes.hotkey : current.hotkey,
      isActive,
    });
    if (changes.isNonToxic && !current.is_non_toxic) {
      await client.query(`UPDATE category SET is_non_toxic = false WHERE workspace_id = $1 AND is_non_toxic`, [workspaceId]);
    }
    const sets: string[] = [];
    const values: unknown[] = [categoryId];
    for (const [field, column] of Object.entries(SETTABLE) as [keyof TUpdateCategory, string][]) {
      if (changes[field] === undefined) continue;
      values.push(changes[field]);
      sets.push(`${column} = $${values.length}`);
    }
    const { rows } = await client.query<TCategory>(
      sets.length
        ? `UPDATE category SET ${sets.join(", ")} WHERE id = $1 RETURNING ${CATEGORY_COLUMNS}`
        : `SELECT ${CATEGORY_COLUMNS} FROM category WHERE id = $1`,
      values,
    );
    return rows[0]!;
  });
}
