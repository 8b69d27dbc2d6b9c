import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

// what this moderator holds right now: open items on a live lease
const heldBy = (email: string) =>
  withE2eDb(async (db) => {
    const { rows } = await db.query<{ excerpt_id: string }>(
      `SELECT q.excerpt_id::text FROM queue_item q JOIN app_user u ON u.id = q.leased_by_id
        WHERE u.email = $1 AND q.is_open AND q.lease_expires_at > now()`,
      [email],
    );
    return rows.map((r) => r.excerpt_id);
  });

test("the queue page arrives with its first excerpt in the HTML, claimed while it rendered, and a reload leases nothing more", async ({ page, browser }) => {
  const email = E2E_USERS.moderator;
  // other specs' sign-ins lease the small fixture's items: let those expire
  await withE2eDb((db) => db.query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE is_open AND leased_by_id IS NOT NULL`));
  await signIn(page, email);
  await expect(page).toHaveURL(/\/queue$/);
  const held = await heldBy(email);
  expect(held.length).toBeGreaterThan(0);

  // No scripts at all: the excerpt is on screen from the HTML alone, and it is one this moderator holds.
  const noScripts = await browser.newContext({ javaScriptEnabled: false });
  await noScripts.addCookies(await page.context().cookies());
  const plain = await noScripts.newPage();
  await plain.goto(new URL(page.url()).pathname);
  const card = plain.getByTestId("queue-card");
  await expect(card.getByTestId("excerpt-text")).toBeVisible();
  expect(held).toContain(await card.getAttribute("data-excerpt-id"));
  await noScripts.close();

  // that second page load re-served the held batch instead of leasing another one
  expect((await heldBy(email)).sort()).toEqual([...held].sort());

  // a router prefetch of the page leases nothing (nobody opened the queue)
  await withE2eDb((db) => db.query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE is_open AND leased_by_id IS NOT NULL`));
  const prefetch = await page.request.get(new URL(page.url()).pathname, { headers: { rsc: "1", "next-router-prefetch": "1" } });
  expect(prefetch.status()).toBeLessThan(400);
  expect(await heldBy(email)).toEqual([]);
});
