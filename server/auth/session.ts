import { createHash, randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";
import { cachedEnv } from "../env.ts";
import { hasRole, type TRole, type TSessionUser } from "./roles.ts";

/** The cookie's name over plain http (local use, tests). */
export const SESSION_COOKIE = "modloop_session";
/** Over https: the browser then only accepts it Secure, for this host, on path / (no Domain). */
export const SECURE_SESSION_COOKIE = "__Host-modloop_session";
/** last_seen_at is written at most this often: a session lookup stays a read on almost every request. */
const TOUCH_EVERY_MS = 60_000;

export const hashSessionToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Whether users reach the app over https (MODLOOP_PUBLIC_URL); then cookies are Secure and __Host-. */
export function isHttpsDeployment(): boolean {
  return cachedEnv().MODLOOP_PUBLIC_URL?.startsWith("https:") ?? false;
}

export function sessionCookieName(): string {
  return isHttpsDeployment() ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The session cookie's attributes (set on sign-in, cleared on sign-out with maxAge 0). */
export function sessionCookieOptions(expires: Date | null) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: isHttpsDeployment(),
    path: "/",
    ...(expires ? { expires } : { maxAge: 0 }),
  };
}

/** Creates a session row and returns the raw token for the httpOnly cookie (only its hash is stored). */
export async function createSession(userId: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + cachedEnv().MODLOOP_SESSION_MAX_HOURS * 3600_000);
  await db().session.create({ data: { id: hashSessionToken(token), userId, expiresAt } });
  return { token, expiresAt };
}

export async function deleteSession(token: string): Promise<void> {
  await db().session.deleteMany({ where: { id: hashSessionToken(token) } });
}

/**
 * The signed-in user for a raw session token, or null: unknown, past its absolute end
 * (MODLOOP_SESSION_MAX_HOURS after sign-in), idle longer than MODLOOP_SESSION_IDLE_MINUTES, or a
 * deactivated user. Marks the session as seen (at most once a minute).
 */
export async function userForToken(token: string | undefined): Promise<TSessionUser | null> {
  if (!token) return null;
  const id = hashSessionToken(token);
  const session = await db().session.findUnique({
    where: { id },
    select: { expiresAt: true, lastSeenAt: true, user: { select: { id: true, email: true, name: true, role: true, isActive: true } } },
  });
  const now = Date.now();
  if (!session || session.expiresAt.getTime() <= now || !session.user.isActive) return null;
  if (session.lastSeenAt.getTime() + cachedEnv().MODLOOP_SESSION_IDLE_MINUTES * 60_000 <= now) return null;
  if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await db().session.updateMany({ where: { id }, data: { lastSeenAt: new Date(now) } });
  }
  const { isActive: _active, ...user } = session.user;
  return user;
}

/** The current user from the request cookies (server components and route handlers). */
export async function currentUser(): Promise<TSessionUser | null> {
  const jar = await cookies();
  return userForToken(jar.get(sessionCookieName())?.value);
}

/** Throws UNAUTHENTICATED / FORBIDDEN; used by every route handler through withRoute. */
export async function requireUser(roles: readonly TRole[] | "any" = "any"): Promise<TSessionUser> {
  const user = await currentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (!hasRole(user, roles)) throw new AppError("FORBIDDEN", "Your role does not allow this. Ask an admin for access.");
  return user;
}
