import { AppError } from "@/lib/errors.ts";
import type { TCategory, TCreateCategory } from "@/lib/taxonomy/contract.ts";
import { isUniqueViolation } from "../db/pg-errors.ts";
import { inTransaction } from "../db/transaction.ts";
import { assertCategoryRules, CATEGORY_COLUMNS, lockCategories } from "./assert-category-rules.ts";

type TCreateCategoryOptions = { workspaceId: number; input: TCreateCategory };

/**
 * Adds a category. On pg through inTransaction, so inside an idempotent request (POST with an
 * Idempotency-Key) it commits with the key's row: a request that fails before its answer is stored
 * leaves no category behind, and its retry creates it and answers as the first would have.
 */
export async function createCategory({ workspaceId, input }: TCreateCategoryOptions): Promise<TCategory> {
  return inTransaction(async (client) => {
    // one creation at a time per workspace: two at once would both pass the checks below
    await lockCategories(client, workspaceId);
    await assertCategoryRules({ client, workspaceId, categoryId: null, name: input.name, hotkey: input.hotkey, isActive: true });
    if (input.isNonToxic) {
      const { rows } = await client.query<{ name: string }>(`SELECT name FROM category WHERE workspace_id = $1 AND is_non_toxic LIMIT 1`, [workspaceId]);
      if (rows[0]) throw new AppError("CONFLICT", `“${rows[0].name}” is already the non-toxic class; there is exactly one. Edit it instead.`);
    }
    const { rows } = await client
      .query<TCategory>(
        `INSERT INTO category (workspace_id, name, description, color, hotkey, is_non_toxic, sort_order)
       VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, (SELECT coalesce(max(sort_order), 0) + 10 FROM category WHERE workspace_id = $1)))
       RETURNING ${CATEGORY_COLUMNS}`,
        [workspaceId, input.name, input.description, input.color, input.hotkey, input.isNonToxic, input.sortOrder ?? null],
      )
      .catch((err: unknown) => {
        // a writer that does not take the lock (the demo seed) got there first
        throw isUniqueViolation(err)
          ? new AppError("CONFLICT", "A category with this name, hotkey or role was just created by someone else. Reload and check.")
          : err;
      });
    return rows[0]!;
  });
}
