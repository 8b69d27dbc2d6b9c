import { expect, test } from "@playwright/test";
import { hashApiKey } from "../../lib/serving/api-key.ts";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

/** Issue 11: an admin creates a machine-API key in the UI, sees it once, and revokes it. */
test("an admin creates an API key, sees it once with a copy button, and revokes it", async ({ page }) => {
  const name = `Game server ${Date.now()}`;
  await signIn(page, E2E_USERS.admin);
  await page.goto("/w/default/admin/api-keys");
  const form = page.getByRole("form", { name: "Create API key" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("decisions:read").check();
  await form.getByLabel("ingest").uncheck();
  await form.getByLabel(/Rate limit/).fill("600");
  await form.getByRole("button", { name: "Create key" }).click();

  const shown = page.getByRole("status", { name: "New API key" });
  await expect(shown).toContainText("will not be shown again");
  await expect(shown.getByRole("button", { name: "Copy key" })).toBeVisible();
  const key = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(key.length).toBeGreaterThan(20);

  // the key in the page is the one stored (as its hash), with the chosen scopes and limit
  const stored = await withE2eDb(
    async (db) => (await db.query(`SELECT key_hash, scopes, rate_limit_per_minute, prefix FROM api_key WHERE name = $1`, [name])).rows,
  );
  expect(stored).toEqual([{ key_hash: hashApiKey(key), scopes: ["classify", "decisions:read"], rate_limit_per_minute: 600, prefix: expect.any(String) }]);

  // listed with its prefix; after a reload the key itself is nowhere on the page
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(`${stored[0].prefix}…`);
  await expect(row).toContainText("active");
  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("active");
  expect(await page.content()).not.toContain(key);

  // revoke, with a confirmation first
  await page
    .getByRole("row")
    .filter({ hasText: name })
    .getByRole("button", { name: `Revoke ${name}` })
    .click();
  await page.getByRole("row").filter({ hasText: name }).getByRole("button", { name: "Confirm revoke" }).click();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("revoked");
  const revoked = await withE2eDb(async (db) => (await db.query(`SELECT revoked_at IS NOT NULL AS is_revoked FROM api_key WHERE name = $1`, [name])).rows);
  expect(revoked).toEqual([{ is_revoked: true }]);
});
