import { db } from "../db/client.ts";
import type { TCategory } from "./schemas.ts";

type TListCategoriesOptions = { workspaceId: number; isActiveOnly?: boolean };

/** The taxonomy in display order (sort order, then name). */
export async function listCategories({ workspaceId, isActiveOnly = false }: TListCategoriesOptions): Promise<TCategory[]> {
  return db().category.findMany({
    where: { workspaceId, ...(isActiveOnly ? { isActive: true } : {}) },
    orderBy: [{ sortOrder: "asc" }, { name: "asc" }],
    select: { id: true, name: true, description: true, color: true, hotkey: true, sortOrder: true, isActive: true, isNonToxic: true },
  });
}
