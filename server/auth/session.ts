import { createHash, randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { cache } from "react";
import { db } from "../db/client.ts";
import { getPool } from "../db/pool.ts";
import { cachedEnv } from "../env.ts";
import { resolvedFromRow, type TResolvedWorkspace, type TWorkspaceRow, WORKSPACE_COLUMNS, WORKSPACE_SLUG_PATTERN } from "../workspace/resolve-workspace.ts";
import type { TRole, TSessionUser } from "./roles.ts";

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
  const { token, id, expiresAt } = newSessionToken();
  await db().session.create({ data: { id, userId, expiresAt } });
  return { token, expiresAt };
}

/** A new session's raw token (for the cookie), its stored id (the token's hash) and its absolute end. */
export function newSessionToken(): { token: string; id: string; expiresAt: Date } {
  const token = randomBytes(32).toString("base64url");
  return { token, id: hashSessionToken(token), expiresAt: new Date(Date.now() + cachedEnv().MODLOOP_SESSION_MAX_HOURS * 3600_000) };
}

export async function deleteSession(token: string): Promise<void> {
  await db().session.deleteMany({ where: { id: hashSessionToken(token) } });
}

// Every authenticated request runs this, so it is one named statement on the app's pg pool: each pooled
// connection plans it once, and there is no ORM query layer in between (Prisma's JS and WASM query
// compiler were ~10% of the web process's busy CPU under load, see bench/http-profile.md). Not cached: a
// sign-out, password change or deactivation ends the session on every instance at the next request.
const SESSION_USER_SQL = `
  SELECT s.expires_at, s.last_seen_at, u.id, u.email, u.name, u.role, u.is_active, u.is_senior
  FROM session s JOIN app_user u ON u.id = s.user_id
  WHERE s.id = $1`;

type TSessionUserRow = { expires_at: Date; last_seen_at: Date; id: number; email: string; name: string; role: TRole; is_active: boolean; is_senior: boolean };

/**
 * The signed-in user for a raw session token, or null: unknown, past its absolute end
 * (MODLOOP_SESSION_MAX_HOURS after sign-in), idle longer than MODLOOP_SESSION_IDLE_MINUTES, or a
 * deactivated user. Marks the session as seen (at most once a minute).
 */
export async function userForToken(token: string | undefined): Promise<TSessionUser | null> {
  if (!token) return null;
  const id = hashSessionToken(token);
  const { rows } = await getPool().query<TSessionUserRow>({ name: "session-user", text: SESSION_USER_SQL, values: [id] });
  return liveSessionUser(id, rows[0]);
}

// Workspace routes need the session and the URL's workspace with the caller's membership: one round
// trip instead of two (every statement is a socket write and a wake-up of PostgreSQL, and on a busy
// machine each wake-up waits its turn for a core).
const SESSION_IN_WORKSPACE_SQL = `
  SELECT s.expires_at, s.last_seen_at, u.id, u.email, u.name, u.role, u.is_active, u.is_senior, ${WORKSPACE_COLUMNS}
  FROM session s JOIN app_user u ON u.id = s.user_id
  LEFT JOIN workspace w ON w.slug = $2
  LEFT JOIN workspace_member m ON m.workspace_id = w.id AND m.user_id = u.id
  WHERE s.id = $1`;

/**
 * userForToken and resolveWorkspace in one query: null when the session is not valid (as userForToken),
 * else the user and `resolved`, the workspace and the user's role in it, or null when the slug is
 * unknown or the user is not a member (as resolveWorkspace).
 */
export async function sessionInWorkspace(token: string | undefined, slug: string): Promise<{ user: TSessionUser; resolved: TResolvedWorkspace | null } | null> {
  if (!token) return null;
  const id = hashSessionToken(token);
  const isSlugValid = WORKSPACE_SLUG_PATTERN.test(slug);
  const { rows } = await getPool().query<TSessionUserRow & TWorkspaceRow>({
    name: "session-in-workspace",
    text: SESSION_IN_WORKSPACE_SQL,
    values: [id, isSlugValid ? slug : null],
  });
  const user = await liveSessionUser(id, rows[0]);
  if (!user) return null;
  return { user, resolved: isSlugValid ? resolvedFromRow(rows[0], user.role) : null };
}

/** The user of a session row if the session is still valid, touching it at most once a minute. */
async function liveSessionUser(id: string, session: TSessionUserRow | undefined): Promise<TSessionUser | null> {
  const now = Date.now();
  if (!session || session.expires_at.getTime() <= now || !session.is_active) return null;
  if (session.last_seen_at.getTime() + cachedEnv().MODLOOP_SESSION_IDLE_MINUTES * 60_000 <= now) return null;
  if (now - session.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
    await getPool().query(`UPDATE session SET last_seen_at = $2 WHERE id = $1`, [id, new Date(now)]);
  }
  return { id: session.id, email: session.email, name: session.name, role: session.role, isSenior: session.is_senior };
}

/**
 * The current user from the request cookies (server components and route handlers). Memoised for the
 * request while a page renders (React's cache), so the layout and the page share one lookup.
 */
export const currentUser = cache(async (): Promise<TSessionUser | null> => {
  const jar = await cookies();
  return userForToken(jar.get(sessionCookieName())?.value);
});
