import { expect, test } from "@playwright/test";
import { queueKeysReady, signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

test("a moderator decides five excerpts by keyboard, undoes one, and PostgreSQL holds exactly that", async ({ page }) => {
  // other specs' moderator sign-ins land on the queue and lease the small fixture's items: let those expire
  await withE2eDb((db) => db.query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE is_open AND leased_by_id IS NOT NULL`));
  // specs share the database (another may have recorded decisions for this moderator): look only at what this one adds
  const firstNewId = await withE2eDb(async (db) => (await db.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM decision`)).rows[0].id);
  await signIn(page, E2E_USERS.moderator);
  await expect(page).toHaveURL(/\/queue$/);
  const card = page.getByTestId("queue-card");
  await expect(card).toBeVisible();
  await queueKeysReady(page);

  // hotkeys of the seeded taxonomy: 1 Not toxic, 2 Insult, 3 Profanity, 4 Threat, 5 Hate speech, 6 Spam
  const keys = ["Enter", "2", "1", "3", "Enter"];
  const decided: { excerptId: string; key: string; suggested: string | null }[] = [];
  for (const key of keys) {
    const excerptId = (await card.getAttribute("data-excerpt-id"))!;
    decided.push({ excerptId, key, suggested: null });
    await page.keyboard.press(key);
    await expect(card).not.toHaveAttribute("data-excerpt-id", excerptId);
  }
  // the last decision is undone: its excerpt comes straight back
  await page.keyboard.press("u");
  await expect(card).toHaveAttribute("data-excerpt-id", decided[4].excerptId);
  await expect(page.getByTestId("progress")).toContainText("all saved");

  const rows = await withE2eDb(async (db) => {
    const { rows } = await db.query<{
      excerpt_id: string;
      kind: string;
      category_id: number | null;
      suggested_category_id: number | null;
      reverses_id: string | null;
      id: string;
      hotkey: number | null;
      current_category_id: number | null;
    }>(
      `SELECT d.id::text, d.excerpt_id::text, d.kind, d.category_id, d.suggested_category_id, d.reverses_id::text, c.hotkey, e.current_category_id
       FROM decision d JOIN app_user u ON u.id = d.user_id LEFT JOIN category c ON c.id = d.category_id JOIN excerpt e ON e.id = d.excerpt_id
       WHERE u.email = $1 AND d.id > $2::bigint ORDER BY d.id`,
      [E2E_USERS.moderator, firstNewId],
    );
    return rows;
  });
  const labels = rows.filter((r) => r.kind === "label");
  const reversals = rows.filter((r) => r.kind === "reversal");
  expect(labels).toHaveLength(5);
  expect(reversals).toHaveLength(1);
  expect(labels.map((r) => r.excerpt_id)).toEqual(decided.map((d) => d.excerptId));
  for (const [i, label] of labels.entries()) {
    // Enter stores the model's suggestion; a digit stores the category with that hotkey
    if (keys[i] === "Enter") expect(label.category_id).toBe(label.suggested_category_id);
    else expect(label.hotkey).toBe(Number(keys[i]));
  }
  // the reversal points at the fifth label, whose excerpt is unlabelled again; the other four keep theirs
  expect(reversals[0].reverses_id).toBe(labels[4].id);
  expect(labels[4].current_category_id).toBeNull();
  for (const label of labels.slice(0, 4)) expect(label.current_category_id).toBe(label.category_id);
});
