import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";
import { assertCategoryRules } from "./assert-category-rules.ts";
import type { TCategory, TUpdateCategory } from "@/lib/taxonomy/contract.ts";

type TUpdateCategoryOptions = { workspaceId: number; categoryId: number; changes: TUpdateCategory };

/**
 * Edits a category. Categories are never deleted (labels point at them); retiring one means
 * isActive=false. The non-toxic class cannot be deactivated; making another category the
 * non-toxic class moves the flag in one transaction, so there is always exactly one.
 */
export async function updateCategory({ workspaceId, categoryId, changes }: TUpdateCategoryOptions): Promise<TCategory> {
  return db().$transaction(async (tx) => {
    const current = await tx.category.findFirst({ where: { id: categoryId, workspaceId } });
    if (!current) throw new AppError("NOT_FOUND", `Category ${categoryId} does not exist in this workspace.`);
    const isActive = changes.isActive ?? current.isActive;
    if (current.isNonToxic && changes.isActive === false) {
      throw new AppError("CONFLICT", "The non-toxic class cannot be deactivated: make another category non-toxic first.");
    }
    if (changes.isNonToxic && !isActive) throw new AppError("CONFLICT", "Only an active category can be the non-toxic class.");
    await assertCategoryRules({
      tx,
      workspaceId,
      categoryId,
      name: changes.name,
      hotkey: changes.hotkey !== undefined ? changes.hotkey : current.hotkey,
      isActive,
    });
    if (changes.isNonToxic && !current.isNonToxic) {
      await tx.category.updateMany({ where: { workspaceId, isNonToxic: true }, data: { isNonToxic: false } });
    }
    return tx.category.update({
      where: { id: categoryId },
      data: changes,
      select: { id: true, name: true, description: true, color: true, hotkey: true, sortOrder: true, isActive: true, isNonToxic: true },
    });
  });
}
