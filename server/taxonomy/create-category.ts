import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";
import { assertCategoryRules } from "./assert-category-rules.ts";
import type { TCategory, TCreateCategory } from "@/lib/taxonomy/contract.ts";

type TCreateCategoryOptions = { workspaceId: number; input: TCreateCategory };

export async function createCategory({ workspaceId, input }: TCreateCategoryOptions): Promise<TCategory> {
  return db().$transaction(async (tx) => {
    await assertCategoryRules({ tx, workspaceId, categoryId: null, name: input.name, hotkey: input.hotkey, isActive: true });
    if (input.isNonToxic) {
      const existing = await tx.category.findFirst({ where: { workspaceId, isNonToxic: true }, select: { name: true } });
      if (existing) throw new AppError("CONFLICT", `“${existing.name}” is already the non-toxic class; there is exactly one. Edit it instead.`);
    }
    const last = await tx.category.aggregate({ where: { workspaceId }, _max: { sortOrder: true } });
    return tx.category.create({
      data: { workspaceId, ...input, sortOrder: input.sortOrder ?? (last._max.sortOrder ?? 0) + 10 },
      select: { id: true, name: true, description: true, color: true, hotkey: true, sortOrder: true, isActive: true, isNonToxic: true },
    });
  });
}
