import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { databaseUrl } from "../../server/test/pg-urls.ts";
import { sameOrigin, signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

// Labelled chat for training and a held-out gold set, by category name (the fixture's taxonomy).
const TRAIN: [string, string][] = [
  ["gg wp, nice game everyone", "Not toxic"],
  ["push mid together after the next spawn", "Not toxic"],
  ["thanks for the heal, well played", "Not toxic"],
  ["you absolute clown, uninstall", "Insult"],
  ["worst player in this lobby, you idiot", "Insult"],
  ["fucking lag again, holy shit", "Profanity"],
  ["what the fuck was that dive", "Profanity"],
  ["i will find you after the match", "Threat"],
  ["buy cheap gold at g0ldfarm dot biz", "Spam"],
];
const GOLD: [string, string][] = [
  ["good luck have fun all", "Not toxic"],
  ["care bot lane, jungler is missing", "Not toxic"],
  ["nice try, next round is ours", "Not toxic"],
  ["uninstall the game you moron", "Insult"],
  ["shit team, holy shit", "Profanity"],
  ["free skins at skins4free dot biz", "Spam"],
];
const PREFIX = "models-e2e";

let worker: ChildProcess | null = null;
let versionsBefore: number[] = [];
let activeBefore: number | null = null;

test.beforeAll(async () => {
  await withE2eDb(async (db) => {
    versionsBefore = (await db.query<{ id: number }>(`SELECT id FROM model_version`)).rows.map((r) => r.id);
    activeBefore = (await db.query<{ id: number | null }>(`SELECT active_model_version_id AS id FROM workspace`)).rows[0].id;
    const { rows: cats } = await db.query<{ id: number; name: string; workspace_id: number }>(`SELECT id, name, workspace_id FROM category`);
    const idOf = (name: string) => cats.find((c) => c.name === name)!.id;
    const rows = [
      ...Array.from({ length: 6 }, (_, round) => TRAIN.map(([text, cat]) => ({ text: `${text} ${round}`, cat, isHeldOut: false }))).flat(),
      ...GOLD.map(([text, cat]) => ({ text, cat, isHeldOut: true })),
    ];
    for (const [i, r] of rows.entries()) {
      await db.query(`INSERT INTO excerpt (workspace_id, dedup_key, text, current_category_id, held_out) VALUES ($1, $2, $3, $4, $5)`, [
        cats[0].workspace_id,
        `${PREFIX}-${i}`,
        r.text,
        idOf(r.cat),
        r.isHeldOut,
      ]);
    }
  });
  // The real background worker on the e2e database, as `npm run worker` runs it.
  const root = path.resolve(import.meta.dirname, "../..");
  worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl(process.env.E2E_DB_NAME!) },
    stdio: "ignore",
  });
});

test.afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker!.once("exit", resolve));
    worker.kill("SIGTERM");
    await exited;
  }
  // Leave the shared e2e database as the other specs expect it: the original version active, the open
  // queue ranked by its predictions again (as the requeue job would), nothing of ours left behind.
  await withE2eDb(async (db) => {
    await db.query(`UPDATE model_version SET status = 'archived' WHERE status = 'active' AND NOT (id = ANY ($1::int[]))`, [versionsBefore]);
    await db.query(`UPDATE model_version SET status = 'active' WHERE id = $1`, [activeBefore]);
    await db.query(`UPDATE workspace SET active_model_version_id = $1`, [activeBefore]);
  });
  const previousUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = databaseUrl(process.env.E2E_DB_NAME!);
  try {
    const { requeueWorkspace } = await import("../../server/queue/requeue-workspace.ts");
    const { closePools } = await import("../../server/db/pool.ts");
    await withE2eDb(async (db) => {
      for (const { id } of (await db.query<{ id: number }>(`SELECT id FROM workspace`)).rows) {
        await requeueWorkspace({ workspaceId: id });
      }
    });
    await closePools();
  } finally {
    process.env.DATABASE_URL = previousUrl;
  }
  await withE2eDb(async (db) => {
    await db.query(`DELETE FROM prediction WHERE NOT (model_version_id = ANY ($1::int[]))`, [versionsBefore]);
    await db.query(`DELETE FROM model_version WHERE NOT (id = ANY ($1::int[]))`, [versionsBefore]);
    await db.query(`DELETE FROM training_run`);
    await db.query(`DELETE FROM prediction WHERE excerpt_id IN (SELECT id FROM excerpt WHERE dedup_key LIKE $1)`, [`${PREFIX}-%`]);
    await db.query(`DELETE FROM excerpt WHERE dedup_key LIKE $1`, [`${PREFIX}-%`]);
  });
});

test("a data scientist trains a new version from the page and sees it listed with metrics", async ({ page }) => {
  await signIn(page, E2E_USERS.data_scientist);
  await page.goto("/w/default/models");
  await expect(page.getByRole("heading", { name: "Models" })).toBeVisible();
  await expect(page.getByTestId("gold-set")).toHaveText(`${GOLD.length} labels`);
  const rowsBefore = await page.getByTestId("version-row").count(); // the fixture's active version

  await page.getByRole("button", { name: "Train new version" }).click();
  const status = page.getByTestId("training-status");
  await expect(status).toContainText(/queued|training|evaluating|done/);
  await expect(status).toContainText("done", { timeout: 60_000 });
  await expect(status).toContainText(`on ${GOLD.length} gold labels`);

  await expect(page.getByTestId("version-row")).toHaveCount(rowsBefore + 1);
  const row = page.getByTestId("version-row").first(); // newest first
  await expect(row).toContainText("candidate");
  await expect(row).toContainText("Dana Scientist"); // trained by the signed-in data scientist
  await expect(row).toContainText(/\d+ labels · modloop-linear-trainer/);
  await expect(row.getByTestId("gold-n")).toHaveText(String(GOLD.length));
  await expect(row).toContainText(/\d\.\d{3} \/ \d\.\d{3} \/ \d\.\d{3} \/ \d\.\d{3}/);

  await row.locator("td").first().click();
  await expect(page.getByTestId("category-diff")).toBeVisible();
  await expect(page.getByTestId("version-confusion")).toBeVisible();
  // the reliability diagram: ECE before/after calibration from training, the bins measured on the gold set
  await expect(page.getByTestId("ece")).toContainText(/ECE before calibration \d\.\d{3}, after \d\.\d{3}/);
  await expect(page.getByTestId("ece")).toContainText(`ECE on the gold set`);
  await expect(page.getByRole("img", { name: /Reliability diagram/ }).locator("svg.recharts-surface[role=application]")).toBeVisible();
  await expect(page.getByTestId("reliability-bins").locator("tbody tr").first()).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/models.png", fullPage: true });
});

test("promote makes the new version active; rollback brings the previous one back in one click", async ({ page }) => {
  await signIn(page, E2E_USERS.data_scientist);
  await page.goto("/w/default/models");
  const rows = page.getByTestId("version-row");
  await expect(rows.first()).toContainText("candidate"); // trained by the previous test
  const candidate = (await rows.first().locator("td").first().locator("span.font-mono").innerText()).trim();
  const previous = (await rows.filter({ hasText: "active" }).first().locator("td").first().locator("span.font-mono").innerText()).trim();

  await rows.first().locator("td").first().click();
  // the comparison with the active version on the gold set comes first; a worse version needs "Promote anyway"
  await expect(page.getByTestId("promotion-check")).toBeVisible({ timeout: 20_000 });
  await page.getByRole("button", { name: /^Promote (to active|anyway)$/ }).click();
  await expect(rows.filter({ hasText: candidate })).toContainText("active");
  await expect(rows.filter({ hasText: previous })).toContainText("archived");

  await page.getByRole("button", { name: `Roll back to ${previous}` }).click();
  await expect(rows.filter({ hasText: previous })).toContainText("active");
  await expect(rows.filter({ hasText: candidate })).toContainText("archived");
});

test("a manager may look at the registry but not train or promote", async ({ page }) => {
  await signIn(page, E2E_USERS.manager);
  await page.goto("/w/default/models");
  await expect(page.getByRole("heading", { name: "Models" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Train new version" })).toHaveCount(0);
  expect((await page.request.post("/api/w/default/models/train", { headers: sameOrigin(page) })).status()).toBe(403);
});

test("a moderator cannot open /models or its API", async ({ page }) => {
  await signIn(page, E2E_USERS.moderator);
  await expect(page.getByRole("link", { name: "Models" })).toHaveCount(0);
  await page.goto("/w/default/models");
  await expect(page).toHaveURL(/\/forbidden$/);
  expect((await page.request.get("/api/w/default/models")).status()).toBe(403);
  expect((await page.request.post("/api/w/default/models/train", { headers: sameOrigin(page) })).status()).toBe(403);
});
