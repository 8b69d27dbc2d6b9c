import { expect, test, type Page } from "@playwright/test";
import { queueKeysReady, signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

/**
 * Issue 13, item 1: the request reaches the server and commits, but its response is lost. The queue's
 * automatic retry must resend the same Idempotency-Key, so one keypress stores one decision and one
 * undo reverses one decision.
 */
async function dropFirstResponse(page: Page, pathEnd: string): Promise<{ dropped: () => number; sent: () => number }> {
  let dropped = 0;
  let sent = 0;
  await page.route(`**/${pathEnd}`, async (route) => {
    sent++;
    if (dropped > 0) return route.continue();
    dropped++;
    await route.fetch(); // the server handles (and commits) it…
    await route.abort("connectionreset"); // …and the browser never hears back
  });
  return { dropped: () => dropped, sent: () => sent };
}

test("a decision and an undo whose responses are lost are stored once each", async ({ page }) => {
  await withE2eDb((db) => db.query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE is_open AND leased_by_id IS NOT NULL`));
  const firstNewId = await withE2eDb(async (db) => (await db.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM decision`)).rows[0].id);
  const decisions = await dropFirstResponse(page, "queue/decisions");
  await signIn(page, E2E_USERS.moderator2);
  const card = page.getByTestId("queue-card");
  await expect(card).toBeVisible();
  await queueKeysReady(page);
  const first = (await card.getAttribute("data-excerpt-id"))!;
  await page.keyboard.press("1");
  await expect(card).not.toHaveAttribute("data-excerpt-id", first);
  const second = (await card.getAttribute("data-excerpt-id"))!;
  await page.keyboard.press("2");
  await expect.poll(() => decisions.sent()).toBeGreaterThanOrEqual(3); // the dropped one, its retry, the second keypress

  const undos = await dropFirstResponse(page, "queue/undo");
  await page.keyboard.press("u");
  await expect(card).toHaveAttribute("data-excerpt-id", second);
  await expect.poll(() => undos.sent()).toBeGreaterThanOrEqual(2);
  await expect(page.getByText(/failed|not saved/)).toHaveCount(0);

  const stored = await withE2eDb(async (db) => {
    const { rows } = await db.query<{ excerpt_id: string; kind: string; reverses: string | null }>(
      `SELECT d.excerpt_id::text, d.kind::text, r.excerpt_id::text AS reverses
       FROM decision d JOIN app_user u ON u.id = d.user_id LEFT JOIN decision r ON r.id = d.reverses_id
       WHERE u.email = $1 AND d.id > $2::bigint ORDER BY d.id`,
      [E2E_USERS.moderator2, firstNewId],
    );
    return rows;
  });
  expect(stored).toEqual([
    { excerpt_id: first, kind: "label", reverses: null },
    { excerpt_id: second, kind: "label", reverses: null },
    { excerpt_id: second, kind: "reversal", reverses: second },
  ]);
});
