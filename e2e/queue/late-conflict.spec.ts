import { expect, test } from "@playwright/test";
import { queueKeysReady, signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

test("a decision that arrives after its lease expired is kept and the moderator sees the conflict", async ({ page }) => {
  // earlier specs sign in as moderators and land on the queue, leasing the small fixture's items:
  // let those leases run out so this moderator gets a card (expiry is how items return anyway)
  await withE2eDb((db) => db.query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE is_open AND leased_by_id IS NOT NULL`));
  // specs share the database (others record decisions too): look only at what this one adds
  const firstNewId = await withE2eDb(async (db) => (await db.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM decision`)).rows[0].id);
  await signIn(page, E2E_USERS.moderator2);
  const card = page.getByTestId("queue-card");
  await expect(card).toBeVisible();
  await queueKeysReady(page);
  const excerptId = (await card.getAttribute("data-excerpt-id"))!;

  // the lease runs out while the card is on screen, and someone else claims the item
  await withE2eDb((db) =>
    db.query(
      `UPDATE queue_item SET lease_expires_at = now() - interval '1 minute',
              leased_by_id = (SELECT id FROM app_user WHERE email = $2)
       WHERE excerpt_id = $1::bigint`,
      [excerptId, E2E_USERS.moderator],
    ),
  );
  await page.keyboard.press("1");
  await expect(page.getByText(`Your decision on excerpt #${excerptId} arrived after its lease expired`)).toBeVisible();

  const stored = await withE2eDb(async (db) => {
    const { rows } = await db.query<{ kind: string; is_late_conflict: boolean }>(
      `SELECT d.kind, d.is_late_conflict FROM decision d JOIN app_user u ON u.id = d.user_id WHERE d.excerpt_id = $1::bigint AND u.email = $2 AND d.id > $3::bigint`,
      [excerptId, E2E_USERS.moderator2, firstNewId],
    );
    return rows;
  });
  expect(stored).toEqual([{ kind: "label", is_late_conflict: true }]);
});
