import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../server/db/pool.ts";
import { adminUrl, databaseUrl } from "../server/test/pg-urls.ts";
import { createTestDatabase } from "../server/test/test-db.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
// nothing listens there: a script that touched the database before handling --help would fail
const NO_DATABASE = "postgresql://nobody@127.0.0.1:9/none";

type TRun = { code: number | null; stdout: string; stderr: string };

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<TRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, file, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: NO_DATABASE, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every `npm run` script that runs one of our TypeScript programs, from package.json itself. */
const SCRIPTS = Object.entries(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>)
  .filter(([, command]) => /^tsx \S+\.ts$/.test(command))
  .map(([name, command]) => ({ name, file: command.split(" ")[1] }));

async function inTurn<T, R>(items: T[], parallel: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

describe("--help on every npm run script", () => {
  it("covers the scripts users run", () => {
    expect(SCRIPTS.map((s) => s.name)).toEqual(
      expect.arrayContaining(["start", "worker", "api", "import", "export", "train", "model:import", "apikey", "db:migrate", "db:seed", "bench"]),
    );
  });

  it("prints usage, every option with a one-line meaning, and an example, exits 0 and touches no database", { timeout: 240_000 }, async () => {
    const results = await inTurn(SCRIPTS, 3, async (s) => ({ ...s, result: await run(s.file, ["--help"]) }));
    for (const { name, result } of results) {
      expect({ name, code: result.code, stderr: result.stderr }).toEqual({ name, code: 0, stderr: "" });
      const out = result.stdout;
      expect(out, name).toMatch(new RegExp(`^usage: npm ${name === "start" ? "start" : `run ${name}`} --`));
      const options = out
        .slice(out.indexOf("Options:"), out.indexOf("Examples:"))
        .split("\n")
        .slice(1)
        .filter((l) => l.trim() !== "");
      expect(options.length, name).toBeGreaterThan(0);
      for (const line of options) expect(line, `${name}: ${line}`).toMatch(/^ {2}(-\w, | {4})--[a-z-]+( <[^>]+>| \S+)? {2,}\S.{5,}$/);
      expect(
        options.some((l) => l.includes("--help")),
        name,
      ).toBe(true);
      const examples = out
        .slice(out.indexOf("Examples:"))
        .split("\n")
        .slice(1)
        .filter((l) => l.trim() !== "");
      expect(examples.length, name).toBeGreaterThan(0);
      expect(examples[0], name).toContain(name === "start" ? "npm start" : `npm run ${name}`);
    }
  });

  // one parser (scripts/lib/cli.ts) behind every script: two of them stand for the rest (each spawn costs seconds)
  it("refuses an unknown option by name, points to --help and exits 2", { timeout: 240_000 }, async () => {
    const some = SCRIPTS.filter((s) => s.name === "import" || s.name === "db:migrate");
    expect(some).toHaveLength(2);
    const results = await inTurn(some, 2, async (s) => ({ ...s, result: await run(s.file, ["--no-such-option"]) }));
    for (const { name, result } of results) {
      expect({ name, code: result.code }).toEqual({ name, code: 2 });
      expect(result.stderr, name).toContain("unknown option --no-such-option");
      expect(result.stderr, name).toContain("-- --help");
    }
  });
});

describe("npm run import against PostgreSQL", () => {
  let drop: () => Promise<void>;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    const tdb = await createTestDatabase();
    drop = tdb.drop;
    url = tdb.url;
    dir = await mkdtemp(path.join(tmpdir(), "import-cli-"));
    const pool = getPool();
    await pool.query(`INSERT INTO app_user (email, name, password_hash, role) VALUES ('admin@example.test', 'Admin', 'x', 'admin')`);
    const { rows } = await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('mine', 'Mine') RETURNING id`);
    for (const [i, name] of ["non-toxic", "hate", "offensive"].entries()) {
      await pool.query(`INSERT INTO category (workspace_id, name, hotkey, sort_order, is_non_toxic) VALUES ($1, $2, $3, $3, $4)`, [
        rows[0].id,
        name,
        i + 1,
        i === 0,
      ]);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await drop();
  });

  const csv = ["id,text,label", "1,have a nice day,non-toxic", "2,you people are vermin,HATE", "3,shut up noob,spam", "4,gg,non-toxic", "5,lol,spam"].join(
    "\n",
  );

  it("exits 1 when rows were rejected and prints them grouped by reason; --max-errors lets them through", { timeout: 120_000 }, async () => {
    const file = path.join(dir, "labels.csv");
    await writeFile(file, csv);
    const strict = await run("scripts/import.ts", [file], { DATABASE_URL: url });
    expect(strict.code, strict.stderr).toBe(1);
    expect(strict.stdout).toMatch(/2 × unknown label "spam"[^\n]*\n\s+lines 4, 6/);
    expect(strict.stdout).toMatch(/imported\s+3 \(3 labelled\)/);
    expect(strict.stderr).toContain("2 rows were rejected");
    expect(strict.stderr).toContain("--max-errors 2");

    const tooFew = await run("scripts/import.ts", [file, "--max-errors", "1"], { DATABASE_URL: url });
    expect(tooFew.code).toBe(1);
    const allowed = await run("scripts/import.ts", [file, "--max-errors", "2", "--workspace", "mine"], { DATABASE_URL: url });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/duplicates 3/);
    const { rows } = await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM excerpt`);
    expect(rows[0].n).toBe(3);
  });

  it("exits 0 when every row was imported, and warns about a header-only file", { timeout: 60_000 }, async () => {
    const file = path.join(dir, "header-only.csv");
    await writeFile(file, "id,text,label\n");
    const result = await run("scripts/import.ts", [file], { DATABASE_URL: url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("warning: The file has a header but no rows");
  });

  it("names the workspaces when there are several and none was chosen, and an unknown one", { timeout: 60_000 }, async () => {
    await getPool().query(`INSERT INTO workspace (slug, name) VALUES ('other', 'Other')`);
    const file = path.join(dir, "one.csv");
    await writeFile(file, "text\nhello\n");
    const none = await run("scripts/import.ts", [file], { DATABASE_URL: url });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("choose one with --workspace <slug> (mine, other)");
    const unknown = await run("scripts/import.ts", [file, "--workspace", "nope"], { DATABASE_URL: url });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No workspace "nope". Workspaces: mine, other.');
    await getPool().query(`DELETE FROM workspace WHERE slug = 'other'`);
  });

  it("refuses to import or train into an archived workspace, naming how to restore it, and skips it as the default", { timeout: 120_000 }, async () => {
    await getPool().query(`INSERT INTO workspace (slug, name, archived_at) VALUES ('old', 'Old', now())`);
    try {
      const file = path.join(dir, "one.csv");
      await writeFile(file, "text\nhello archived\n");
      for (const script of ["scripts/import.ts", "scripts/train.ts"]) {
        const refused = await run(script, [...(script.endsWith("import.ts") ? [file] : []), "--workspace", "old"], { DATABASE_URL: url });
        expect(refused.code, refused.stderr).toBe(1);
        expect(refused.stderr).toContain('Workspace "old" is archived');
        expect(refused.stderr).toContain("npm run workspace -- unarchive old");
      }
      // the only active workspace is still the default
      const defaulted = await run("scripts/import.ts", [file], { DATABASE_URL: url });
      expect(defaulted.code, defaulted.stderr).toBe(0);
      const { rows } = await getPool().query<{ slug: string }>(
        `SELECT w.slug FROM excerpt e JOIN workspace w ON w.id = e.workspace_id WHERE e.text = 'hello archived'`,
      );
      expect(rows.map((r) => r.slug)).toEqual(["mine"]);
    } finally {
      await getPool().query(`DELETE FROM workspace WHERE slug = 'old'`);
    }
  });

  it("on a database that was never migrated, says to run npm run db:migrate (not a raw error, not db:seed)", { timeout: 60_000 }, async () => {
    const name = `modloop_t_empty_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const file = path.join(dir, "one.csv");
      await writeFile(file, "text\nhello\n");
      const result = await run("scripts/import.ts", [file], { DATABASE_URL: databaseUrl(name) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("run `npm run db:migrate`");
      expect(result.stderr).not.toMatch(/db:seed` or import|does not exist/);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
