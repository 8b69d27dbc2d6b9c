import { expect, test } from "@playwright/test";
import { queueKeysReady, signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

type TProgress = { decidedToday: number; remaining: number };

/**
 * The progress line straight after the page loads: its first count is requested before the moderator's
 * first decision and answered after it. That count does not include the decision, so it must not swallow
 * it; the queue used to drop its local delta on every answer, and the undo that followed read
 * "-1 decided today" until the next count, seconds later.
 */
test("a count requested before a decision and answered after it keeps the decision, and its undo reads the server's figure, not -1", async ({ page }) => {
  await withE2eDb((db) => db.query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE is_open AND leased_by_id IS NOT NULL`));
  // the first count is read by the server at once and answered when this spec says; the counts after it
  // fail, so the figures asserted rest on that first count and the queue's own delta alone
  let counted!: (count: TProgress) => void;
  const firstCount = new Promise<TProgress>((resolve) => (counted = resolve));
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  let requests = 0;
  await page.route("**/queue/progress", async (route) => {
    if (++requests > 1) return route.abort("connectionrefused");
    const response = await route.fetch();
    counted((await response.json()) as TProgress);
    await answered;
    await route.fulfill({ response });
  });

  await signIn(page, E2E_USERS.moderator);
  const card = page.getByTestId("queue-card");
  await expect(card).toBeVisible();
  await queueKeysReady(page);
  const server = await firstCount;
  const progress = page.getByTestId("progress");
  const decided = progress.locator("span", { hasText: "decided today" });
  const remaining = progress.locator("span", { hasText: "remaining" });

  const excerptId = (await card.getAttribute("data-excerpt-id"))!;
  await page.keyboard.press("Enter");
  await expect(card).not.toHaveAttribute("data-excerpt-id", excerptId);
  await expect(progress).toContainText("all saved");
  answer();
  await expect(remaining).toHaveText(/^\d[\d,]* remaining$/); // the count is on screen
  expect.soft(await decided.textContent()).toBe(`${server.decidedToday + 1} decided today`);
  expect.soft(await remaining.textContent()).toBe(`${server.remaining - 1} remaining`);

  await page.keyboard.press("u");
  await expect(card).toHaveAttribute("data-excerpt-id", excerptId);
  await expect(progress).toContainText("all saved");
  await expect(decided).toHaveText(`${server.decidedToday} decided today`);
  await expect(remaining).toHaveText(`${server.remaining} remaining`);
});
