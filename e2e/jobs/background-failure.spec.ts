import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

// Issue 13: a background task that failed for good is shown on the workspace's pages to those who can act on
// it (the worker writes background_failure; here the row is planted as the worker would leave it).
const REASON = "Protobuf parsing failed while loading the active model";

test.beforeAll(async () => {
  await withE2eDb((db) =>
    db.query(`INSERT INTO background_failure (workspace_id, task, message, failures) SELECT id, 'score', $1, 2 FROM workspace WHERE slug = 'default'`, [
      REASON,
    ]),
  );
});

test.afterAll(async () => {
  await withE2eDb((db) => db.query(`DELETE FROM background_failure`));
});

test("a data scientist sees why scoring is failing, on every page of the workspace", async ({ page }) => {
  await signIn(page, E2E_USERS.data_scientist);
  for (const path of ["/w/default/models", "/w/default/datasets"]) {
    await page.goto(path);
    const banner = page.getByRole("alert", { name: "Background task failures" });
    await expect(banner).toContainText("Scoring new excerpts is failing (2 times in a row).");
    await expect(banner).toContainText(REASON);
    await expect(banner).toContainText("new excerpts get no prediction and do not enter the review queue");
  }
});

test("a moderator, who cannot act on it, is not shown it", async ({ page }) => {
  await signIn(page, E2E_USERS.moderator);
  await page.goto("/w/default/queue");
  await expect(page.getByRole("heading").first()).toBeVisible();
  await expect(page.getByRole("alert", { name: "Background task failures" })).toHaveCount(0);
});
