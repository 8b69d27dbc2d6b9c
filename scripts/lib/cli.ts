import { parseArgs } from "node:util";
import type pg from "pg";
import { AppError } from "../../lib/errors.ts";

export type TCli = { log: (message: string) => void; fail: (message: string) => never };

/** One command-line option: what it takes, and the one line `--help` prints for it. */
export type TCliOption = {
  type: "string" | "boolean";
  short?: string;
  /** the value's placeholder in the help, e.g. "<slug>" (string options) */
  value?: string;
  description: string;
};

export type TCliSpec<TOptions extends Record<string, TCliOption>> = {
  /** the npm script, e.g. "import" or "model:import" ("start" for `npm start`) */
  script: string;
  /** what follows `npm run <script> --`, e.g. "<file> [options]" */
  usage: string;
  /** one or two sentences: what the script does */
  summary: string;
  options: TOptions;
  /** the positional arguments' meaning, printed under Arguments */
  positionals?: Record<string, string>;
  /** complete command lines, at least one */
  examples: string[];
  /** extra lines printed at the end (environment variables, exit codes) */
  notes?: string[];
  /** how many positional arguments are allowed (default 0; checks only the maximum) */
  maxPositionals?: number;
};

type TValues<TOptions extends Record<string, TCliOption>> = {
  [K in keyof TOptions]: TOptions[K]["type"] extends "boolean" ? boolean : string | undefined;
};

export type TParsedCli<TOptions extends Record<string, TCliOption>> = TCli & {
  values: TValues<TOptions>;
  positionals: string[];
  help: string;
};

const command = (script: string) => (script === "start" ? "npm start" : `npm run ${script}`);

/** The text `--help` prints: usage, summary, arguments, every option with its one-line meaning, examples. */
export function formatHelp(spec: TCliSpec<Record<string, TCliOption>>): string {
  const rows: [string, string][] = Object.entries(spec.options).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.value ?? "<value>"}` : ""}`,
    o.description,
  ]);
  rows.push(["-h, --help", "print this help and exit"]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const lines = [`usage: ${command(spec.script)} -- ${spec.usage}`, "", spec.summary];
  if (spec.positionals && Object.keys(spec.positionals).length > 0) {
    const w = Math.max(...Object.keys(spec.positionals).map((k) => k.length)) + 2;
    lines.push("", "Arguments:", ...Object.entries(spec.positionals).map(([k, v]) => `  ${k.padEnd(w)}${v}`));
  }
  lines.push("", "Options:", ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`));
  lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  if (spec.notes?.length) lines.push("", ...spec.notes);
  return lines.join("\n");
}

/**
 * The one argument parser behind every `npm run` script: `--help`/`-h` prints the help to stdout and
 * exits 0; an unknown option, a missing value or too many arguments says so on stderr, points to
 * `--help` and exits 2. Call it before opening the database, so `--help` never touches anything.
 */
export function parseCli<const TOptions extends Record<string, TCliOption>>(
  spec: TCliSpec<TOptions>,
  argv: string[] = process.argv.slice(2),
): TParsedCli<TOptions> {
  const tag = spec.script;
  const help = formatHelp(spec);
  const log = (message: string) => console.error(`[${tag}] ${message}`);
  const fail = (message: string): never => {
    log(message);
    console.error(`Run \`${command(spec.script)} -- --help\` for every option and an example.`);
    process.exit(2);
  };
  const config: Record<string, { type: "string" | "boolean"; short?: string }> = { help: { type: "boolean", short: "h" } };
  for (const [name, o] of Object.entries(spec.options)) config[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (err) {
    const e = err as Error & { code?: string };
    if (argv.includes("--help") || argv.includes("-h")) {
      console.log(help);
      process.exit(0);
    }
    const unknown = /Unknown option '([^']+)'/.exec(e.message)?.[1];
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown) fail(`unknown option ${unknown}`);
    const missing = /Option '(?:-\w, )?(--[^ ']+)[^']*' argument missing/.exec(e.message)?.[1];
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && missing) fail(`${missing} needs a value`);
    fail(e.message);
  }
  if (parsed!.values.help) {
    console.log(help);
    process.exit(0);
  }
  const max = spec.maxPositionals ?? 0;
  if (parsed!.positionals.length > max) {
    const extra = parsed!.positionals
      .slice(max)
      .map((p) => `"${p}"`)
      .join(", ");
    fail(
      max === 0
        ? `${command(spec.script)} takes no arguments, only options (got ${extra})`
        : `unexpected argument${parsed!.positionals.length - max > 1 ? "s" : ""} ${extra}`,
    );
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, o] of Object.entries(spec.options)) values[name] = o.type === "boolean" ? parsed!.values[name] === true : parsed!.values[name];
  return { values: values as TValues<TOptions>, positionals: parsed!.positionals, help, log, fail };
}

/** PostgreSQL's "relation does not exist": the database was never migrated. */
const isUnmigrated = (err: unknown) => (err as { code?: string }).code === "42P01";

export const MIGRATE_FIRST = "The database has no modloop tables yet: run `npm run db:migrate` (or `npm start`, which migrates), then try again.";

/**
 * The workspace named by --workspace, else the only active (unarchived) one. Errors say what to do next: an
 * unmigrated database → db:migrate; no workspace → how to create one; several → the slugs. `isWrite`: the command writes to it
 * (import, train, model:import), so an archived workspace is refused naming how to restore it.
 */
export async function resolveCliWorkspace(pool: pg.Pool, slug: string | undefined, opts: { isWrite?: boolean } = {}): Promise<{ id: number; slug: string }> {
  let workspaces: { id: number; slug: string; isArchived: boolean }[];
  try {
    workspaces = (
      await pool.query<{ id: number; slug: string; isArchived: boolean }>(`SELECT id, slug, archived_at IS NOT NULL AS "isArchived" FROM workspace ORDER BY id`)
    ).rows;
  } catch (err) {
    if (isUnmigrated(err)) throw new AppError("NOT_FOUND", MIGRATE_FIRST);
    throw err;
  }
  const slugs = workspaces.map((w) => w.slug + (w.isArchived ? " (archived)" : "")).join(", ");
  const usable = (w: { id: number; slug: string; isArchived: boolean }) => {
    if (opts.isWrite && w.isArchived) {
      throw new AppError("CONFLICT", `Workspace "${w.slug}" is archived and takes no changes. Restore it first: npm run workspace -- unarchive ${w.slug}`);
    }
    return { id: w.id, slug: w.slug };
  };
  if (slug !== undefined) {
    const workspace = workspaces.find((w) => w.slug === slug);
    if (workspace) return usable(workspace);
    throw new AppError(
      "NOT_FOUND",
      workspaces.length === 0
        ? `No workspace "${slug}": there are no workspaces yet. Create one on the setup page of \`npm start\` (or \`npm run db:seed\` for the demo).`
        : `No workspace "${slug}". Workspaces: ${slugs}.`,
    );
  }
  const active = workspaces.filter((w) => !w.isArchived);
  if (active.length === 1) return usable(active[0]);
  if (workspaces.length === 0) {
    throw new AppError(
      "NOT_FOUND",
      "There are no workspaces yet. Create one on the setup page of `npm start` (or `npm run db:seed` for the demo), then pass --workspace <slug>.",
    );
  }
  throw new AppError("VALIDATION", `There are ${workspaces.length} workspaces: choose one with --workspace <slug> (${slugs}).`);
}

/** The user named by --user (case-insensitive email), null when none was named; NOT_FOUND for an unknown one. */
export async function resolveCliUser(pool: pg.Pool, email: string | undefined): Promise<{ id: number; email: string } | null> {
  if (!email) return null;
  let user: { id: number; email: string } | undefined;
  try {
    user = (await pool.query<{ id: number; email: string }>(`SELECT id, email FROM app_user WHERE lower(email) = lower($1)`, [email])).rows[0];
  } catch (err) {
    if (isUnmigrated(err)) throw new AppError("NOT_FOUND", MIGRATE_FIRST);
    throw err;
  }
  if (!user) throw new AppError("NOT_FOUND", `No user "${email}": pass the email of an existing account (the admin page lists them).`);
  return user;
}
