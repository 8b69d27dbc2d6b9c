import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

/** Issue 11: webhooks with their delivery log, and the Perspective attribute mapping, from the admin UI. */
test("an admin adds a webhook (secret shown once), reads a failed delivery in the log and redelivers it", async ({ page }) => {
  const name = `Bot ${Date.now()}`;
  await signIn(page, E2E_USERS.admin);
  await page.goto("/w/default/admin/webhooks");
  const form = page.getByRole("form", { name: "Add webhook" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("URL (https)").fill("https://hooks.invalid/modloop");
  await form.getByLabel("model.promoted").check();
  await form.getByRole("button", { name: "Add webhook" }).click();
  const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  await expect(page.getByRole("table", { name: "Webhooks" }).getByRole("row").filter({ hasText: name })).toContainText("decision.final, model.promoted");

  // a delivery whose retries were used up, as the worker leaves it
  const deliveryId = await withE2eDb(async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `WITH e AS (INSERT INTO webhook_event (workspace_id, type, payload, dispatched_at) SELECT id, 'model.promoted', '{}', now() FROM workspace WHERE slug = 'default' RETURNING id, workspace_id)
       INSERT INTO webhook_delivery (webhook_id, event_id, workspace_id, status, attempts, response_status, last_error, last_attempt_at)
       SELECT w.id, e.id, e.workspace_id, 'failed', 6, 503, 'receiver answered 503', now() FROM e JOIN webhook w ON w.workspace_id = e.workspace_id AND w.name = $1
       RETURNING id::text`,
      [name],
    );
    return rows[0]!.id;
  });
  await page.reload();
  expect(await page.content()).not.toContain(secret);
  const row = page.getByRole("table", { name: "Delivery log" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("failed");
  await expect(row).toContainText("503");
  await expect(row).toContainText("6");
  await row.getByRole("button", { name: `Redeliver delivery ${deliveryId}` }).click();
  await expect
    .poll(() =>
      withE2eDb(
        async (db) =>
          (await db.query(`SELECT status <> 'failed' OR last_error IS NULL AS is_requeued FROM webhook_delivery WHERE id = $1`, [deliveryId])).rows[0]
            .is_requeued,
      ),
    )
    .toBe(true);

  await page.getByRole("button", { name: `Delete ${name}` }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByRole("table", { name: "Webhooks" }).getByRole("row").filter({ hasText: name })).toHaveCount(0);
});

test("an admin maps a category to a Perspective attribute and clears it again", async ({ page }) => {
  await signIn(page, E2E_USERS.admin);
  await page.goto("/w/default/admin/machine-api");
  const mapping = page.getByRole("form", { name: "Attribute of Insult" });
  await mapping.getByLabel("Perspective attribute for Insult").fill("personal_attack");
  await mapping.getByRole("button", { name: "Save" }).click();
  const stored = () =>
    withE2eDb(
      async (db) =>
        (await db.query(`SELECT api_attribute FROM category c JOIN workspace w ON w.id = c.workspace_id WHERE w.slug = 'default' AND c.name = 'Insult'`))
          .rows[0].api_attribute,
    );
  await expect.poll(stored).toBe("PERSONAL_ATTACK");
  await expect(page.getByRole("table", { name: "Perspective attributes" }).getByRole("row").filter({ hasText: "Insult" })).toContainText("PERSONAL_ATTACK");

  await mapping.getByLabel("Perspective attribute for Insult").fill("TOXICITY");
  await mapping.getByRole("button", { name: "Save" }).click();
  await expect(mapping.getByRole("alert")).toContainText("TOXICITY");
  expect(await stored()).toBe("PERSONAL_ATTACK");

  await mapping.getByLabel("Perspective attribute for Insult").fill("");
  await mapping.getByRole("button", { name: "Use its name" }).click();
  await expect.poll(stored).toBe(null);
});
