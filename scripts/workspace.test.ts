import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../server/db/pool.ts";
import { createTestDatabase } from "../server/test/test-db.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
let drop: () => Promise<void>;
let url: string;
let dir: string;

beforeAll(async () => {
  ({ drop, url } = await createTestDatabase());
  dir = await mkdtemp(path.join(tmpdir(), "modloop-ws-"));
});
afterAll(() => drop());

/** Runs `npm run workspace -- …` as a user would (a separate process), returning its exit code and output. */
function workspace(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return workspaceWithInput("", ...args);
}
function workspaceWithInput(input: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", "scripts/workspace.ts", ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}
const count = async () => (await getPool().query(`SELECT (SELECT count(*)::int FROM workspace) AS w, (SELECT count(*)::int FROM category) AS c`)).rows[0];

describe("npm run workspace", () => {
  it("--help lists every command and option with an example, and exits 0", { timeout: 60_000 }, async () => {
    const { code, stdout } = await workspace("--help");
    expect(code).toBe(0);
    for (const word of [
      "create",
      "list",
      "rename",
      "templates",
      "first-admin",
      "--email",
      "--name",
      "--slug",
      "--template",
      "--taxonomy",
      "--json",
      "Examples:",
      "Exit codes",
    ])
      expect(stdout).toContain(word);
  });

  it("wrong usage exits 2 and points to --help, without touching the database", async () => {
    const usages = [
      [],
      ["explode"],
      ["create", "--bogus"],
      ["create", "--name", "x"],
      ["create", "--name", "x", "--template", "blank", "--taxonomy", "f.csv"],
      ["rename", "x"],
    ];
    const results = await Promise.all(usages.map((args) => workspace(...args)));
    results.forEach(({ code, stderr }, i) => {
      expect(code, usages[i].join(" ")).toBe(2);
      expect(stderr).toContain("--help");
    });
    expect(await count()).toEqual({ w: 0, c: 0 });
  }, 180_000);

  it("create from a taxonomy file, list, rename; --json for scripts", async () => {
    const file = path.join(dir, "labels.csv");
    await writeFile(file, "name,non_toxic\nhate,no\noffensive,no\nnon-toxic,yes\n");
    const created = await workspace("create", "--name", "Hate speech (EN)", "--taxonomy", file);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('created workspace "Hate speech (EN)" (slug hate-speech-en) with 3 categories');
    expect(created.stderr).toContain("npm run import -- <file.csv> --workspace hate-speech-en");

    const fromTemplate = await workspace("create", "--name", "Game chat", "--template", "game-chat", "--json");
    expect(JSON.parse(fromTemplate.stdout)).toMatchObject({ slug: "game-chat", categoryCount: 6 });

    expect((await workspace("rename", "game-chat", "--name", "Game chat (EU)")).code).toBe(0);
    const list = await workspace("list", "--json");
    expect(JSON.parse(list.stdout).map((w: { slug: string; name: string }) => [w.slug, w.name])).toEqual([
      ["hate-speech-en", "Hate speech (EN)"],
      ["game-chat", "Game chat (EU)"],
    ]);
  }, 120_000);

  it("refusals exit 1 with the reason and write nothing: a taken slug, a bad taxonomy file, an unknown workspace", async () => {
    const before = await count();
    const taken = await workspace("create", "--name", "Game chat", "--template", "blank");
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("slug: a workspace with the slug “game-chat” already exists");

    const bad = path.join(dir, "bad.csv");
    await writeFile(bad, "name,hotkey,non_toxic\nhate,1,no\nclean,1,yes\nok,2,yes\n");
    const invalid = await workspace("create", "--name", "Bad", "--taxonomy", bad);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("line 3, hotkey: Hotkey 1 is already used by “hate” on line 2");
    expect(invalid.stderr).toContain("line 4, non_toxic: “ok” is marked non-toxic, and so is “clean” on line 3");

    const missing = await workspace("rename", "nope", "--name", "x");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No workspace "nope". Workspaces: game-chat, hate-speech-en.');
    expect(await count()).toEqual(before);
  }, 120_000);

  it("first-admin creates the first account from a piped password, once; a second is refused", async () => {
    const first = await workspaceWithInput("correct horse battery staple 42\n", "first-admin", "--email", "Ada@Example.com", "--name", "Ada");
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("created ada@example.com, an instance admin");
    const second = await workspaceWithInput("correct horse battery staple 42\n", "first-admin", "--email", "bob@example.com", "--name", "Bob");
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("already set up");
    const { rows } = await getPool().query(`SELECT email, role FROM app_user`);
    expect(rows).toEqual([{ email: "ada@example.com", role: "admin" }]);
  }, 60_000);

  it("archive, unarchive and members from the CLI; an unknown account is refused with exit 1", async () => {
    await getPool().query(`INSERT INTO app_user (email, name, password_hash, role) VALUES ('sam@example.com', 'Sam', 'x', 'moderator')`);
    expect((await workspace("members", "game-chat", "--add", "sam@example.com", "--role", "moderator")).code).toBe(0);
    expect((await workspace("members", "game-chat", "--add", "sam@example.com", "--role", "data_scientist")).code).toBe(0); // a role change, still one membership
    const listed = await workspace("members", "game-chat", "--json");
    expect(
      JSON.parse(listed.stdout)
        .filter((m: { isMember: boolean }) => m.isMember)
        .map((m: { email: string; role: string }) => [m.email, m.role]),
    ).toEqual([["sam@example.com", "data_scientist"]]);
    const unknown = await workspace("members", "game-chat", "--add", "nobody@example.com", "--role", "moderator");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no account has the email nobody@example.com");
    expect((await workspace("members", "game-chat", "--remove", "sam@example.com")).code).toBe(0);
    expect((await workspace("archive", "game-chat")).stderr).toContain("is archived");
    expect((await getPool().query(`SELECT archived_at IS NOT NULL AS archived FROM workspace WHERE slug = 'game-chat'`)).rows[0].archived).toBe(true);
    expect((await workspace("unarchive", "game-chat")).stderr).toContain("in use again");
    expect((await workspace("members", "game-chat", "--add", "x@example.com")).code).toBe(2); // --role missing
  }, 180_000);

  it("templates prints each template's categories", async () => {
    const { code, stdout } = await workspace("templates");
    expect(code).toBe(0);
    expect(stdout).toMatch(/olid\s+OLID/);
    expect(stdout).toContain("NOT (non-toxic)");
  }, 60_000);
});
