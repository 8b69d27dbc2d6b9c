import { createHash, randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";
import { hasRole, type TRole, type TSessionUser } from "./roles.ts";

export const SESSION_COOKIE = "modloop_session";
const SESSION_DAYS = 14;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates a session row and returns the raw token for the httpOnly cookie (only its hash is stored). */
export async function createSession(userId: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86400_000);
  await db().session.create({ data: { id: hashToken(token), userId, expiresAt } });
  return { token, expiresAt };
}

export async function deleteSession(token: string): Promise<void> {
  await db().session.deleteMany({ where: { id: hashToken(token) } });
}

/** The signed-in user for a raw session token, or null (expired, unknown, or deactivated user). */
export async function userForToken(token: string | undefined): Promise<TSessionUser | null> {
  if (!token) return null;
  const session = await db().session.findUnique({
    where: { id: hashToken(token) },
    select: { expiresAt: true, user: { select: { id: true, email: true, name: true, role: true, isActive: true } } },
  });
  if (!session || session.expiresAt < new Date() || !session.user.isActive) return null;
  const { isActive: _active, ...user } = session.user;
  return user;
}

/** The current user from the request cookies (server components and route handlers). */
export async function currentUser(): Promise<TSessionUser | null> {
  const jar = await cookies();
  return userForToken(jar.get(SESSION_COOKIE)?.value);
}

/** Throws UNAUTHENTICATED / FORBIDDEN; used by every route handler through withRoute. */
export async function requireUser(roles: readonly TRole[] | "any" = "any"): Promise<TSessionUser> {
  const user = await currentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (!hasRole(user, roles)) throw new AppError("FORBIDDEN", "Your role does not allow this. Ask an admin for access.");
  return user;
}
