import { expect, test } from "@playwright/test";
import { queueKeysReady, signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

type TProgress = { decidedToday: number; remaining: number };

/**
 * U pressed while the decision it undoes is still in flight waits behind it; if that decision then fails,
 * it never happened on the server, and the server's undo (which reverses the moderator's latest decision)
 * would reverse the one before it. The queue must withdraw the failed decision locally instead, as it does
 * when U is pressed after the failure is known.
 */
test("an undo keyed while its decision is in flight sends nothing when that decision fails, and the earlier decision stands", async ({ page }) => {
  await withE2eDb((db) => db.query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE is_open AND leased_by_id IS NOT NULL`));
  const firstNewId = await withE2eDb(async (db) => (await db.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM decision`)).rows[0].id);
  // the first decision goes through; the second is held until this spec fails it, with every retry
  let decisions = 0;
  let held!: () => void;
  const isHeld = new Promise<void>((resolve) => (held = resolve));
  let fail!: () => void;
  const failed = new Promise<void>((resolve) => (fail = resolve));
  await page.route("**/queue/decisions", async (route) => {
    if (++decisions === 1) return route.continue();
    held();
    await failed;
    await route.abort("connectionrefused");
  });
  let undos = 0;
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.endsWith("/queue/undo")) undos++;
  });
  const firstCount = page.waitForResponse((response) => new URL(response.url()).pathname.endsWith("/queue/progress"));

  await signIn(page, E2E_USERS.moderator);
  const card = page.getByTestId("queue-card");
  await expect(card).toBeVisible();
  await queueKeysReady(page);
  const server = (await (await firstCount).json()) as TProgress;
  const progress = page.getByTestId("progress");

  const first = (await card.getAttribute("data-excerpt-id"))!;
  await page.keyboard.press("1");
  await expect(card).not.toHaveAttribute("data-excerpt-id", first);
  await expect(progress).toContainText("all saved");
  const second = (await card.getAttribute("data-excerpt-id"))!;
  await page.keyboard.press("2");
  await expect(card).not.toHaveAttribute("data-excerpt-id", second);
  await isHeld;
  await page.keyboard.press("u");
  await expect(card).toHaveAttribute("data-excerpt-id", second);
  await expect(progress).toContainText("saving 2…");

  fail(); // the held decision and its automatic retries (about 12 s of backoff) all fail
  await expect(progress).toContainText("all saved", { timeout: 30_000 });
  expect.soft(undos).toBe(0);
  // the first decision still stands on the server, and the failed one was never stored
  const stored = await withE2eDb(async (db) => {
    const { rows } = await db.query<{ excerpt_id: string; kind: string }>(
      `SELECT d.excerpt_id::text, d.kind::text FROM decision d JOIN app_user u ON u.id = d.user_id
       WHERE u.email = $1 AND d.id > $2::bigint ORDER BY d.id`,
      [E2E_USERS.moderator, firstNewId],
    );
    return rows;
  });
  expect(stored).toEqual([{ excerpt_id: first, kind: "label" }]);

  await expect(card).toHaveAttribute("data-excerpt-id", second);
  // the undo withdrew it: no "not saved" notice offering a retry of a decision the moderator took back
  await expect(page.getByText(/not saved|failed/)).toHaveCount(0);
  await expect(progress.locator("span", { hasText: "decided today" })).toHaveText(`${server.decidedToday + 1} decided today`);
});
