import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";
import { verifyPassword } from "./password.ts";
import { createSession } from "./session.ts";
import type { TSessionUser } from "./roles.ts";

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;

// A real hash of a random string: unknown emails still pay for one bcrypt compare, so response
// time does not reveal which emails have accounts.
const DUMMY_HASH = "$2b$10$rYcQD.YQuETVGbBeTl.hmOeBhfnKbdWF8dPos98lp75lMjhscJxYi";

type TSignInOptions = { email: string; password: string; ip: string };

/**
 * Password sign-in, rate limited per email+IP: after MAX_FAILURES failures inside the window,
 * further attempts are refused (even with the right password) until the window has passed.
 */
export async function signIn({ email, password, ip }: TSignInOptions): Promise<{ user: TSessionUser; token: string; expiresAt: Date }> {
  const prisma = db();
  const normalisedEmail = email.trim().toLowerCase();
  const key = `${normalisedEmail}|${ip}`;
  const since = new Date(Date.now() - FAILURE_WINDOW_MS);
  const lastSuccess = await prisma.loginAttempt.findFirst({
    where: { key, isSuccess: true, attemptedAt: { gte: since } },
    orderBy: { attemptedAt: "desc" },
    select: { attemptedAt: true },
  });
  const failures = await prisma.loginAttempt.count({
    where: { key, isSuccess: false, attemptedAt: { gte: lastSuccess?.attemptedAt ?? since } },
  });
  if (failures >= MAX_FAILURES) {
    throw new AppError("RATE_LIMITED", "Too many failed sign-in attempts. Wait 15 minutes and try again, or ask an admin to reset your password.");
  }

  const user = await prisma.user.findUnique({ where: { email: normalisedEmail } });
  const isMatch = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  const isAllowed = Boolean(user && isMatch && user.isActive);
  await prisma.loginAttempt.create({ data: { key, isSuccess: isAllowed } });
  if (!user || !isMatch) throw new AppError("UNAUTHENTICATED", "Email or password is wrong. Check both and try again.");
  if (!user.isActive) throw new AppError("FORBIDDEN", "This account is deactivated. Ask an admin to reactivate it.");

  const { token, expiresAt } = await createSession(user.id);
  return { user: { id: user.id, email: user.email, name: user.name, role: user.role }, token, expiresAt };
}
