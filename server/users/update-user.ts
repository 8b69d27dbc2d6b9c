import { assertPasswordPolicy } from "@/lib/auth/password-policy.ts";
import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";
import { hashPassword } from "../auth/password.ts";
import type { TUpdateUser } from "@/lib/users/contract.ts";

type TUpdateUserOptions = { actorId: number; userId: number; changes: TUpdateUser };

/**
 * Changes role, name, active flag or password. Deactivating or resetting a password also ends the
 * user's sessions, so the change takes effect at once. Admins cannot demote or deactivate themselves
 * (that is how a workspace loses its last admin).
 */
export async function updateUser({ actorId, userId, changes }: TUpdateUserOptions): Promise<{ id: number }> {
  const prisma = db();
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } });
  if (!user) throw new AppError("NOT_FOUND", `User ${userId} does not exist.`);
  if (userId === actorId && (changes.isActive === false || (changes.role && changes.role !== "admin"))) {
    throw new AppError("CONFLICT", "You cannot demote or deactivate your own account. Ask another admin.");
  }
  if (changes.password) assertPasswordPolicy(changes.password, [user.email, changes.name ?? user.name]);
  const passwordHash = changes.password ? await hashPassword(changes.password) : undefined;
  await prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: userId },
      data: { name: changes.name, role: changes.role, isActive: changes.isActive, isSenior: changes.isSenior, passwordHash },
    });
    if (changes.isActive === false || passwordHash) await tx.session.deleteMany({ where: { userId } });
  });
  return { id: userId };
}
