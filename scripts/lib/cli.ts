import type pg from "pg";
import { AppError } from "../../lib/errors.ts";
import { getCurrentWorkspace } from "../../server/workspace/get-current-workspace.ts";

export type TCli = { log: (message: string) => void; fail: (message: string) => never };

/**
 * Logging and usage errors shared by the npm-run scripts: messages go to stderr, tagged with the script.
 * Declare the result with its type (`const { log, fail }: TCli = cli(…)`) so TypeScript knows fail() never returns.
 */
export function cli(tag: string, usage: string): TCli {
  const log = (message: string) => console.error(`[${tag}] ${message}`);
  const fail = (message: string): never => {
    log(message);
    console.error(usage);
    process.exit(2);
  };
  return { log, fail };
}

/** The workspace named by --workspace, else the current one; a clear NOT_FOUND otherwise. */
export async function resolveCliWorkspace(pool: pg.Pool, slug: string | undefined): Promise<{ id: number; slug: string }> {
  const workspace = slug
    ? (await pool.query<{ id: number; slug: string }>(`SELECT id, slug FROM workspace WHERE slug = $1`, [slug])).rows[0]
    : await getCurrentWorkspace();
  if (!workspace) throw new AppError("NOT_FOUND", `No workspace "${slug}". Leave out --workspace to use the current one.`);
  return workspace;
}

/** The user named by --user (case-insensitive email), null when none was named; NOT_FOUND for an unknown one. */
export async function resolveCliUser(pool: pg.Pool, email: string | undefined): Promise<{ id: number; email: string } | null> {
  if (!email) return null;
  const user = (await pool.query<{ id: number; email: string }>(`SELECT id, email FROM app_user WHERE lower(email) = lower($1)`, [email])).rows[0];
  if (!user) throw new AppError("NOT_FOUND", `No user "${email}".`);
  return user;
}
