import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

test("a senior moderator settles a disputed overlap item with a hotkey, and their label wins", async ({ page }) => {
  // an overlap item both moderators labelled, differently (Insult vs Threat), as the queue leaves it
  const excerptId = await withE2eDb(async (db) => {
    const { rows } = await db.query<{ excerpt_id: string }>(`SELECT excerpt_id::text FROM queue_item WHERE is_open ORDER BY excerpt_id LIMIT 1`);
    const id = rows[0].excerpt_id;
    await db.query(
      `WITH m AS (SELECT id, email FROM app_user WHERE email IN ($2, $3)),
            c AS (SELECT id, name FROM category WHERE name IN ('Insult', 'Threat'))
       INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id)
       SELECT (SELECT workspace_id FROM excerpt WHERE id = $1::bigint), $1::bigint, m.id, 'label', 'queue', c.id
       FROM m JOIN c ON (m.email = $2 AND c.name = 'Insult') OR (m.email = $3 AND c.name = 'Threat')
       ORDER BY m.email = $3`,
      [id, E2E_USERS.moderator, E2E_USERS.moderator2],
    );
    await db.query(
      `UPDATE queue_item SET required_reviews = 2, is_open = false, leased_by_id = NULL, lease_expires_at = NULL,
              labelled_by = ARRAY(SELECT id FROM app_user WHERE email IN ($2, $3))
       WHERE excerpt_id = $1::bigint`,
      [id, E2E_USERS.moderator, E2E_USERS.moderator2],
    );
    await db.query(`UPDATE excerpt SET current_category_id = (SELECT id FROM category WHERE name = 'Threat') WHERE id = $1::bigint`, [id]);
    return id;
  });

  // a plain moderator neither sees the link nor gets in
  await signIn(page, E2E_USERS.moderator);
  await expect(page.getByRole("link", { name: "Adjudication" })).toHaveCount(0);
  await page.goto("/w/default/adjudication");
  await expect(page).toHaveURL(/\/forbidden$/);
  await page.context().clearCookies();

  await withE2eDb((db) => db.query(`UPDATE app_user SET is_senior = true WHERE email = $1`, [E2E_USERS.moderator2]));
  await signIn(page, E2E_USERS.moderator2);
  await page.getByRole("link", { name: "Adjudication" }).click();
  await expect(page.getByRole("heading", { name: "Adjudication" })).toBeVisible();
  const card = page.getByTestId("queue-card");
  await expect(card).toHaveAttribute("data-excerpt-id", excerptId);
  const labels = page.getByTestId("overlap-labels");
  await expect(labels).toContainText("Insult");
  await expect(labels).toContainText("Threat");

  // 1 = "Not toxic" in the fixture's taxonomy
  await page.keyboard.press("1");
  await expect(page.getByText("Nothing to adjudicate")).toBeVisible();

  const stored = await withE2eDb(async (db) => {
    const { rows } = await db.query<{ origin: string; name: string; label: string }>(
      `SELECT d.origin::text AS origin, c.name, lc.name AS label
       FROM decision d JOIN category c ON c.id = d.category_id JOIN excerpt e ON e.id = d.excerpt_id JOIN category lc ON lc.id = e.current_category_id
       WHERE d.excerpt_id = $1::bigint AND d.origin = 'adjudication'`,
      [excerptId],
    );
    return rows;
  });
  expect(stored).toEqual([{ origin: "adjudication", name: "Not toxic", label: "Not toxic" }]);
});
