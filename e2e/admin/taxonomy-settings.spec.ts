import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

test("an admin adds a category: a taken hotkey is refused by name, a free one is saved", async ({ page }) => {
  await signIn(page, E2E_USERS.admin);
  await page.goto("/w/default/admin/taxonomy");
  const form = page.getByRole("form", { name: "Add category" });
  await form.getByLabel("Name").fill("Doxxing");
  await form.getByLabel("Hotkey").selectOption("2");
  await form.getByRole("button", { name: "Add category" }).click();
  await expect(page.getByText("Hotkey 2 is already used by “Insult”")).toBeVisible();

  await form.getByLabel("Hotkey").selectOption("7");
  await form.getByRole("button", { name: "Add category" }).click();
  await expect(page.getByRole("form", { name: "Edit Doxxing" })).toBeVisible();
  const stored = await withE2eDb(async (db) => (await db.query(`SELECT hotkey, is_active FROM category WHERE name = 'Doxxing'`)).rows);
  expect(stored).toEqual([{ hotkey: 7, is_active: true }]);

  // retiring it (categories are never deleted) leaves the shared fixture's active taxonomy as it was
  await page.getByRole("form", { name: "Edit Doxxing" }).getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByRole("form", { name: "Edit Doxxing" }).getByText("retired")).toBeVisible();
});

test("an admin changes the ranking strategy and the queue is re-ranked", async ({ page }) => {
  await signIn(page, E2E_USERS.admin);
  await page.goto("/w/default/admin/settings");
  await page.getByLabel("Ranking").selectOption("toxic_score");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("The open queue was re-ranked")).toBeVisible();
  const { strategy, misordered } = await withE2eDb(async (db) => {
    const ws = await db.query<{ rank_strategy: string }>(`SELECT rank_strategy FROM workspace WHERE slug = 'default'`);
    // under toxic_score, among open non-audit items a higher toxic score never ranks lower
    const bad = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM queue_item a JOIN prediction pa ON pa.id = a.prediction_id
       JOIN queue_item b ON b.workspace_id = a.workspace_id AND b.is_open AND NOT b.is_audit AND b.is_flagged = a.is_flagged
       JOIN prediction pb ON pb.id = b.prediction_id
       WHERE a.is_open AND NOT a.is_audit AND pa.toxic_score > pb.toxic_score + 1e-6 AND a.priority < b.priority`,
    );
    return { strategy: ws.rows[0].rank_strategy, misordered: bad.rows[0].n };
  });
  expect(strategy).toBe("toxic_score");
  expect(misordered).toBe(0);

  // back to the fixture's strategy (a new workspace's default) for the specs that follow
  await page.getByLabel("Ranking").selectOption("margin");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect
    .poll(() => withE2eDb(async (db) => (await db.query(`SELECT rank_strategy FROM workspace WHERE slug = 'default'`)).rows[0].rank_strategy))
    .toBe("margin");
});

test("an admin serves flagged items first and turns near-duplicate spacing off; the queue follows both", async ({ page }) => {
  await signIn(page, E2E_USERS.admin);
  await page.goto("/w/default/admin/settings");
  const flaggedFirst = page.getByLabel("Serve flagged items first");
  const spacing = page.getByLabel("Space out near-duplicates");
  // a new workspace's defaults: no flagged tier, spacing at 0.7
  await expect(flaggedFirst).not.toBeChecked();
  await expect(spacing).toHaveValue("0.7");
  await expect(page.getByText("where the top two categories are closest")).toBeVisible();

  await flaggedFirst.check();
  await expect(page.getByText("flagged first, then where the top two categories are closest")).toBeVisible();
  await spacing.selectOption("off");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("The open queue was re-ranked")).toBeVisible();
  const stored = await withE2eDb(async (db) => {
    const ws = await db.query(`SELECT flagged_first, max_similarity FROM workspace WHERE slug = 'default'`);
    // among open ranked items: no unflagged item above a flagged one, and nothing demoted (spacing is off)
    const order = await db.query<{ misordered: number; demoted: number }>(
      `SELECT (SELECT count(*)::int FROM queue_item a JOIN queue_item b ON b.workspace_id = a.workspace_id
                 WHERE a.is_open AND b.is_open AND NOT a.is_audit AND NOT b.is_audit AND a.is_flagged AND NOT b.is_flagged AND a.priority <= b.priority) AS misordered,
              (SELECT count(*)::int FROM queue_item WHERE is_open AND NOT is_audit AND priority < 0) AS demoted`,
    );
    return { ...ws.rows[0], ...order.rows[0] };
  });
  expect(stored).toEqual({ flagged_first: true, max_similarity: null, misordered: 0, demoted: 0 });

  // back to the defaults for the specs that follow
  await flaggedFirst.uncheck();
  await spacing.selectOption("0.7");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect
    .poll(() => withE2eDb(async (db) => (await db.query(`SELECT flagged_first, max_similarity FROM workspace WHERE slug = 'default'`)).rows[0]))
    .toEqual({ flagged_first: false, max_similarity: 0.7 });
});

test("an admin turns automatic retrain off and back on", async ({ page }) => {
  await signIn(page, E2E_USERS.admin);
  await page.goto("/w/default/admin/settings");
  const retrain = page.getByLabel("Retrain automatically");
  await expect(retrain).toHaveValue("200"); // a new workspace's default
  await expect(page.getByText("only when it is not worse on the gold set")).toBeVisible();
  const stored = () => withE2eDb(async (db) => (await db.query(`SELECT retrain_every FROM workspace WHERE slug = 'default'`)).rows[0].retrain_every);

  await retrain.selectOption("off");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect.poll(stored).toBeNull();
  await page.reload();
  await expect(retrain).toHaveValue("off");

  // back to the default for the specs that follow
  await retrain.selectOption("200");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect.poll(stored).toBe(200);
});
