import { assertPasswordPolicy } from "@/lib/auth/password-policy.ts";
import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { hashSessionToken } from "./session.ts";

type TChangePasswordOptions = { userId: number; currentPassword: string; newPassword: string; keepSessionToken: string | undefined };

/**
 * A signed-in user changes their own password. The current password is asked again (a session left
 * open on a shared machine must not be enough to take the account over), the new one must pass the
 * policy, and every other session of the user ends: whoever else was signed in is signed out.
 */
export async function changePassword({ userId, currentPassword, newPassword, keepSessionToken }: TChangePasswordOptions): Promise<{ sessionsEnded: number }> {
  const prisma = db();
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { email: true, name: true, passwordHash: true } });
  if (!user) throw new AppError("NOT_FOUND", "Your account no longer exists. Ask an admin.");
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new AppError("VALIDATION", "body.currentPassword: Your current password is wrong. Type it again.", [
      { path: ["currentPassword"], message: "wrong password" },
    ]);
  }
  if (currentPassword === newPassword) {
    throw new AppError("VALIDATION", "body.newPassword: The new password is the same as the current one. Choose a different one.", [
      { path: ["newPassword"], message: "unchanged" },
    ]);
  }
  assertPasswordPolicy(newPassword, [user.email, user.name], "newPassword");
  const passwordHash = await hashPassword(newPassword);
  const keepId = keepSessionToken ? hashSessionToken(keepSessionToken) : "";
  const ended = await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    return tx.session.deleteMany({ where: { userId, id: { not: keepId } } });
  });
  return { sessionsEnded: ended.count };
}
