import { AppError } from "@/lib/errors.ts";
import type { PrismaClient } from "../db/client.ts";

type TTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

type TAssertOptions = {
  tx: TTx;
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
export async function assertCategoryRules({ tx, workspaceId, categoryId, name, hotkey, isActive }: TAssertOptions): Promise<void> {
  if (name !== undefined) {
    const clash = await tx.category.findFirst({
      where: { workspaceId, name: { equals: name, mode: "insensitive" }, ...(categoryId ? { id: { not: categoryId } } : {}) },
      select: { name: true, isActive: true },
    });
    if (clash) {
      throw new AppError("CONFLICT", `A category named “${clash.name}” already exists${clash.isActive ? "" : " (inactive — reactivate it instead)"}.`);
    }
  }
  if (hotkey != null && isActive) {
    const clash = await tx.category.findFirst({
      where: { workspaceId, hotkey, isActive: true, ...(categoryId ? { id: { not: categoryId } } : {}) },
      select: { name: true },
    });
    if (clash) throw new AppError("CONFLICT", `Hotkey ${hotkey} is already used by “${clash.name}”. Pick another key or clear that one first.`);
  }
}
