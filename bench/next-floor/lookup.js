// The lookup and query behind the app's trivial authenticated route (GET categories), in plain `pg`
// with no framework layer of the app's own, written the straightforward way: the session (a hash of
// the cookie's token), then the workspace by its slug with the caller's membership, then the taxonomy
// (the app itself folds the first two into one statement, server/auth/session.ts). Shared by the minimal Next.js route (app/) and the bare
// node:http server (../lib/bare-categories-server.ts), so both floors do exactly the same work.
import { createHash } from "node:crypto";
import pg from "pg";

const SESSION_SQL = `
  SELECT u.id, u.role FROM session s JOIN app_user u ON u.id = s.user_id
  WHERE s.id = $1 AND s.expires_at > now() AND u.is_active
    AND s.last_seen_at > now() - make_interval(mins => $2)`;
// the workspace and the caller's membership (instance admins are members of every workspace)
const WORKSPACE_SQL = `
  SELECT w.id, m.role AS member_role FROM workspace w
  LEFT JOIN workspace_member m ON m.workspace_id = w.id AND m.user_id = $2
  WHERE w.slug = $1`;
const CATEGORIES_SQL = `
  SELECT id, name, description, color, hotkey, sort_order AS "sortOrder", is_active AS "isActive", is_non_toxic AS "isNonToxic"
  FROM category WHERE workspace_id = $1 ORDER BY sort_order, name`;

let pool;
const getPool = () =>
  (pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.MODLOOP_POOL_MAX ?? 10), idleTimeoutMillis: 0 }));

/** { status, body } for a session token and a workspace slug. */
export async function lookupCategories(token, slug) {
  if (!token) return { status: 401, body: { error: { code: "UNAUTHENTICATED" } } };
  const db = getPool();
  const session = await db.query({
    name: "floor-session",
    text: SESSION_SQL,
    values: [createHash("sha256").update(token).digest("hex"), Number(process.env.MODLOOP_SESSION_IDLE_MINUTES ?? 120)],
  });
  if (session.rows.length === 0) return { status: 401, body: { error: { code: "UNAUTHENTICATED" } } };
  const user = session.rows[0];
  const workspace = await db.query({ name: "floor-workspace", text: WORKSPACE_SQL, values: [slug, user.id] });
  if (workspace.rows.length === 0 || (user.role !== "admin" && !workspace.rows[0].member_role)) return { status: 404, body: { error: { code: "NOT_FOUND" } } };
  const categories = await db.query({ name: "floor-categories", text: CATEGORIES_SQL, values: [workspace.rows[0].id] });
  return { status: 200, body: { categories: categories.rows } };
}

/** The session token from a Cookie header (either of the app's cookie names). */
export function tokenFromCookie(header) {
  const match = /(?:^|;\s*)(?:__Host-)?modloop_session=([^;]+)/.exec(header ?? "");
  return match ? decodeURIComponent(match[1]) : undefined;
}
