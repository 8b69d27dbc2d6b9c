import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

// Finding 8: right-to-left override characters rendered unmarked, so "\u202Efdp.exe" showed as "exe.pdf".
test("bidirectional and invisible characters in an excerpt are shown as markers, and the stored text is unchanged", async ({ page }) => {
  const text = "download invoice\u202Efdp.exe from n\u200Bo\u200Bo\u200Bb";
  const id = await withE2eDb(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO excerpt (workspace_id, dedup_key, external_id, text, game, conversation_id, speaker_id, occurred_at)
       SELECT id, 'hidden-chars', 'hidden-chars', $1, 'Arena', 'hidden-chars', 'trickster', now() FROM workspace ORDER BY id LIMIT 1
       RETURNING id::text`,
      [text],
    );
    return rows[0]!.id;
  });
  await signIn(page, E2E_USERS.admin);
  await page.goto(`/w/default/excerpts/${id}`);
  const shown = page.getByTestId("excerpt-text");
  await expect(shown.locator("[data-hidden-char=RLO]")).toHaveCount(1);
  await expect(shown.locator("[data-hidden-char=ZWSP]")).toHaveCount(3);
  await expect(shown).toContainText("invoiceRLOfdp.exe");
  await expect(shown.locator("[data-hidden-char=RLO]")).toHaveAttribute("title", /U\+202E right-to-left override/);
  // nothing reordering is left in the page: the override itself is not rendered
  expect(await shown.evaluate((el) => el.textContent!.includes("\u202E"))).toBe(false);
  const stored = await withE2eDb((c) => c.query<{ text: string }>("SELECT text FROM excerpt WHERE id = $1", [id]));
  expect(stored.rows[0]!.text).toBe(text);
});
