import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { startFreshInstall, type TFreshInstall } from "../support/fresh-install.ts";

/**
 * Issue 10's first hour, on a fresh install of its own (not the shared seeded database): the setup page, the
 * first admin, a workspace whose three categories come from a file, then a second workspace that shows
 * nothing of the first one's data.
 */

const ADMIN = { name: "Dana Scientist", email: "dana@example.com", password: "plum orbit kettle sonnet 58" };
let install: TFreshInstall;
let dir: string;

test.describe.configure({ mode: "serial" });
test.setTimeout(180_000);

test.beforeAll(async () => {
  install = await startFreshInstall();
  dir = await mkdtemp(path.join(tmpdir(), "modloop-first-run-"));
});
test.afterAll(async () => {
  await install?.stop();
});

const stored = async <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> => {
  const client = new pg.Client({ connectionString: install.dbUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
};

test("a fresh install opens the setup page; the first admin, then a workspace from a taxonomy file", async ({ page }) => {
  await page.goto(`${install.baseURL}/`);
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByText("npm run db:seed")).toBeVisible(); // the demo stays one command away

  const form = page.getByRole("form", { name: "Create the first admin" });
  await form.getByLabel("Name").fill(ADMIN.name);
  await form.getByLabel("Email").fill(ADMIN.email);
  await form.getByLabel(/^Password/).fill("password1234");
  await form.getByRole("button", { name: "Create admin and continue" }).click();
  await expect(form.getByRole("alert")).toContainText("password"); // the policy's reason, and nothing created
  expect(await stored(`SELECT email FROM app_user`)).toEqual([]);
  await form.getByLabel(/^Password/).fill(ADMIN.password);
  await form.getByRole("button", { name: "Create admin and continue" }).click();

  const create = page.getByRole("form", { name: "Create workspace" });
  await expect(create).toBeVisible();
  expect(await stored(`SELECT email, role FROM app_user`)).toEqual([{ email: ADMIN.email, role: "admin" }]);

  // a file with two non-toxic classes is refused with its lines, before anything is sent
  const bad = path.join(dir, "bad.csv");
  await writeFile(bad, "name,hotkey,non_toxic\nhate,1,no\noffensive,1,yes\nnon-toxic,3,yes\n");
  await create.getByLabel("Name", { exact: true }).fill("Hate speech");
  await create.getByLabel("From a file (CSV or JSON)").check();
  await create.getByLabel("Taxonomy file").setInputFiles(bad);
  await expect(create.getByRole("alert")).toContainText("line 3, hotkey: Hotkey 1 is already used by “hate” on line 2");
  await expect(create.getByRole("alert")).toContainText("line 4, non_toxic:");
  await expect(create.getByRole("button", { name: "Create workspace" })).toBeDisabled();

  const good = path.join(dir, "labels.csv");
  await writeFile(
    good,
    "name,non_toxic,description\nhate,no,Attacks on a protected trait\noffensive,no,Insults and slurs that are not hate\nnon-toxic,yes,Everything else\n",
  );
  await create.getByLabel("Taxonomy file").setInputFiles(good);
  const preview = create.getByRole("table", { name: "Categories preview" });
  await expect(preview.getByRole("row")).toHaveCount(4); // header + three categories, shown before anything is created
  await expect(preview).toContainText("non-toxic");
  expect(await stored(`SELECT slug FROM workspace`)).toEqual([]);
  await create.getByRole("button", { name: "Create workspace" }).click();

  await expect(page).toHaveURL(/\/w\/hate-speech\/admin\/import$/);
  expect(
    await stored(
      `SELECT c.name, c.hotkey, c.is_non_toxic FROM category c JOIN workspace w ON w.id = c.workspace_id WHERE w.slug = 'hate-speech' ORDER BY c.sort_order`,
    ),
  ).toEqual([
    { name: "hate", hotkey: 1, is_non_toxic: false },
    { name: "offensive", hotkey: 2, is_non_toxic: false },
    { name: "non-toxic", hotkey: 3, is_non_toxic: true },
  ]);
  // setup is over: the page now sends people home
  await page.goto(`${install.baseURL}/setup`);
  await expect(page).not.toHaveURL(/\/setup$/);
});

async function signInAsAdmin(page: Page): Promise<void> {
  await page.goto(`${install.baseURL}/login`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Labelled lines of the three categories, as a data scientist's own CSV would bring them (labels in their own spelling). */
function labelledCsv(rounds: number, offset: number): string {
  const rows = ["id,text,label"];
  for (let i = offset; i < offset + rounds; i++) {
    rows.push(`h${i},"people of that religion are vermin and should leave, all of them ${i}",HATE`);
    rows.push(`o${i},"you are a useless idiot, uninstall ${i}",offensive`);
    rows.push(`n${i},"good game everyone, see you next round ${i}",neither`);
  }
  return `${rows.join("\n")}\n`;
}

test("import with a label mapping and one bad row, a held-out set, then train: the Models page shows the evaluation", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto(`${install.baseURL}/w/hate-speech/admin/import`);

  const train = path.join(dir, "train.csv");
  // one bad row: no text
  await writeFile(train, labelledCsv(12, 0).replace("\n", '\nbad1,"",offensive\n'));
  await page.getByLabel("File").setInputFiles(train);
  // HATE matches “hate” ignoring case; “neither” has no category of that name, so it is mapped by hand
  await page.getByLabel("Category for label neither").selectOption("non-toxic");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const result = page.getByTestId("import-result");
  await expect(result).toContainText("finished");
  // the skipped rows are grouped by reason beside the result, with their line numbers
  await expect(result).toContainText("Errors1");
  await expect(page.getByTestId("import-errors")).toContainText("line 2");
  expect(
    await stored(`SELECT c.name, count(*)::int AS n FROM excerpt e JOIN category c ON c.id = e.current_category_id GROUP BY c.name ORDER BY c.name`),
  ).toEqual([
    { name: "hate", n: 12 },
    { name: "non-toxic", n: 12 },
    { name: "offensive", n: 12 },
  ]);

  const heldOut = path.join(dir, "test.csv");
  await writeFile(heldOut, labelledCsv(6, 100));
  await page.getByLabel("File").setInputFiles(heldOut);
  await page.getByLabel("Category for label neither").selectOption("non-toxic");
  await page.getByLabel(/Held-out test data/).check();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByTestId("import-result")).toContainText("finished");

  await page.goto(`${install.baseURL}/w/hate-speech/models`);
  await expect(page.getByTestId("gold-set")).toHaveText("18 labels");
  await page.getByRole("button", { name: "Train new version" }).click();
  await expect(page.getByTestId("training-status")).toContainText("done", { timeout: 120_000 });
  const row = page.getByTestId("version-row").first();
  await expect(row.getByTestId("gold-n")).toHaveText("18");
  await expect(row).toContainText(/\d\.\d{3} \/ \d\.\d{3} \/ \d\.\d{3} \/ \d\.\d{3}/);
});

test("a second workspace from a template never shows the first one's excerpts; members and archiving", async ({ page }) => {
  await stored(
    `INSERT INTO excerpt (workspace_id, dedup_key, text) SELECT id, 'first-secret', 'only in the first workspace: a secret line' FROM workspace WHERE slug = 'hate-speech'`,
  );
  await signInAsAdmin(page);
  await expect(page).toHaveURL(/\/w\/hate-speech\//);

  await page.goto(`${install.baseURL}/workspaces`);
  await page.getByRole("button", { name: "New workspace" }).click();
  const create = page.getByRole("form", { name: "Create workspace" });
  await create.getByLabel("Name", { exact: true }).fill("Game chat EU");
  await create.getByLabel("Template", { exact: true }).selectOption("game-chat");
  await expect(create.getByRole("table", { name: "Categories preview" }).getByRole("row")).toHaveCount(7);
  await create.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/w\/game-chat-eu\/admin\/import$/);

  await page.goto(`${install.baseURL}/w/game-chat-eu/excerpts`);
  await expect(page.getByRole("heading", { name: "Excerpts" })).toBeVisible();
  await expect(page.getByText("a secret line")).toHaveCount(0);
  await page.goto(`${install.baseURL}/w/hate-speech/excerpts`);
  await expect(page.getByText("only in the first workspace: a secret line")).toBeVisible();

  // rename and archive in the workspace's admin settings; archived: readable, writes refused
  await page.goto(`${install.baseURL}/w/game-chat-eu/admin/settings`);
  await page.getByRole("form", { name: "Rename workspace" }).getByRole("textbox").fill("Game chat (EU)");
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("status")).toContainText("Renamed to “Game chat (EU)”");
  await page.getByRole("button", { name: "Archive workspace" }).click();
  await expect(page.getByRole("button", { name: "Restore workspace" })).toBeVisible();
  expect(await stored(`SELECT slug, name, archived_at IS NOT NULL AS archived FROM workspace WHERE slug = 'game-chat-eu'`)).toEqual([
    { slug: "game-chat-eu", name: "Game chat (EU)", archived: true },
  ]);
  const refused = await page.request.post(`${install.baseURL}/api/w/game-chat-eu/admin/categories`, {
    data: { name: "Spam" },
    headers: { origin: install.baseURL },
  });
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error.message).toContain("is archived");
  await page.getByRole("button", { name: "Restore workspace" }).click();
  await expect(page.getByRole("button", { name: "Archive workspace" })).toBeVisible();
});
