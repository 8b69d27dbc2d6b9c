import { lockForTransaction } from "../db/advisory-lock.ts";
import type pg from "pg";
import { AppError } from "@/lib/errors.ts";

type TAssertOptions = {
  client: Pick<pg.ClientBase, "query">;
  workspaceId: number;
  /** the category being edited; null when creating */
  categoryId: number | null;
  name?: string;
  hotkey?: number | null;
  isActive: boolean;
};

/**
 * Checks the rules the database also enforces (unique name, unique active hotkey) first, so the
 * admin gets a message that names the clashing category instead of a constraint violation.
 */
export async function assertCategoryRules({ client, workspaceId, categoryId, name, hotkey, isActive }: TAssertOptions): Promise<void> {
  if (name !== undefined) {
    const { rows } = await client.query<{ name: string; is_active: boolean }>(
      `SELECT name, is_active FROM category WHERE workspace_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3 LIMIT 1`,
      [workspaceId, name, categoryId],
    );
    const clash = rows[0];
    if (clash) {
      throw new AppError("CONFLICT", `A category named “${clash.name}” already exists${clash.is_active ? "" : " (inactive — reactivate it instead)"}.`);
    }
  }
  if (hotkey != null && isActive) {
    const { rows } = await client.query<{ name: string }>(
      `SELECT name FROM category WHERE workspace_id = $1 AND hotkey = $2 AND is_active AND id IS DISTINCT FROM $3 LIMIT 1`,
      [workspaceId, hotkey, categoryId],
    );
    if (rows[0]) throw new AppError("CONFLICT", `Hotkey ${hotkey} is already used by “${rows[0].name}”. Pick another key or clear that one first.`);
  }
}

/** One change to a workspace's categories at a time (the checks above then see every earlier one). */
export function lockCategories(client: Pick<pg.ClientBase, "query">, workspaceId: number): Promise<void> {
  return lockForTransaction(client, `modloop.category:${workspaceId}`);
}

/** The columns a category is read back with, as TCategory names them. */
export const CATEGORY_COLUMNS = `id, name, description, color, hotkey, sort_order AS "sortOrder", is_active AS "isActive", is_non_toxic AS "isNonToxic"`;
