import { expect, test } from "@playwright/test";
import { queueKeysReady, signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

test("the queue card marks the words behind its suggestion, and its text, bar and category list agree", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  // other specs' moderator sign-ins lease the small fixture's items: let those expire
  await withE2eDb((db) => db.query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE is_open AND leased_by_id IS NOT NULL`));
  await signIn(page, E2E_USERS.moderator2);
  await page.goto("/w/default/queue");
  const card = page.getByTestId("queue-card");
  await expect(card).toBeVisible();
  await queueKeysReady(page);

  let highlightedCards = 0;
  // walk a few cards: each must state one coherent suggestion; the fixture's insults and threats carry highlights
  for (let i = 0; i < 6; i++) {
    const excerptId = (await card.getAttribute("data-excerpt-id"))!;
    const suggestion = page.getByTestId("suggestion");
    const percentText = (await page.getByTestId("suggestion-percent").textContent())!;
    expect(percentText).toMatch(/^(<1|>99|\d{1,3})%$/);
    const barValue = Number(await page.getByTestId("suggestion-bar").getAttribute("aria-valuenow"));
    const barWidth = await page
      .getByTestId("suggestion-bar")
      .locator("span")
      .evaluate((el) => (el as HTMLElement).style.width);
    expect(barWidth).toBe(`${barValue}%`);
    if (/^\d/.test(percentText)) expect(Number(percentText.replace("%", ""))).toBe(barValue);
    // the suggested category's row in the list shows the same probability
    const name = (await page.getByTestId("suggestion-category").textContent())!.trim();
    await expect(
      page
        .getByTestId("category-list")
        .getByRole("button", { name: new RegExp(name) })
        .getByTestId("category-probability"),
    ).toContainText(percentText);
    // a non-toxic headline never sits beside a higher toxic score: such a card is presented as uncertain
    const tone = await suggestion.getAttribute("data-tone");
    expect(["toxic", "non-toxic", "uncertain"]).toContain(tone);

    const marks = page.getByTestId("highlight");
    const count = await marks.count();
    if (count > 0) {
      highlightedCards++;
      const text = (await page.getByTestId("excerpt-text").textContent())!;
      for (const word of await marks.allTextContents()) {
        expect(word.trim().length).toBeGreaterThan(0);
        expect(text).toContain(word);
      }
      await expect(page.getByTestId("highlight-legend")).toBeVisible();
      await expect(marks.first()).toHaveAttribute("title", /odds of .+ fall ×\d/);
    }
    // the guideline of the suggested category is in reach
    await expect(page.getByTestId("guideline")).toContainText(name);
    if (i === 0) await page.screenshot({ path: "test-results/screens/queue-1440x900.png" });
    await page.keyboard.press("s");
    await expect(card).not.toHaveAttribute("data-excerpt-id", excerptId);
  }
  expect(highlightedCards).toBeGreaterThan(0);
});
