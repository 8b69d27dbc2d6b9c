import { getPool } from "../db/pool.ts";
import type { TCategory } from "@/lib/taxonomy/contract.ts";

type TListCategoriesOptions = { workspaceId: number; isActiveOnly?: boolean };

// Read by every page that shows labels (the queue's hotkeys, filters, the dashboard), so one named pg
// statement rather than a Prisma query: the ORM's query layer cost more CPU than the query itself.
const CATEGORIES_SQL = `
  SELECT id, name, description, color, hotkey, sort_order AS "sortOrder", is_active AS "isActive", is_non_toxic AS "isNonToxic"
  FROM category
  WHERE workspace_id = $1 AND (is_active OR NOT $2::boolean)
  ORDER BY sort_order, name`;

/** The taxonomy in display order (sort order, then name). */
export async function listCategories({ workspaceId, isActiveOnly = false }: TListCategoriesOptions): Promise<TCategory[]> {
  const { rows } = await getPool().query<TCategory>({ name: "list-categories", text: CATEGORIES_SQL, values: [workspaceId, isActiveOnly] });
  return rows;
}
