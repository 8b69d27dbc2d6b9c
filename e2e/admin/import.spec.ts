import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

test("an admin imports a CSV with one broken row: the error names its line, the other rows are stored", async ({ page }) => {
  await signIn(page, E2E_USERS.admin);
  await page.goto("/w/default/admin/import");
  // line 1 is the header; line 4 has an empty text (the broken row)
  const csv = [
    "id,message,player,match,label",
    "imp-1,see you next game,pA,m-900,Not toxic",
    "imp-2,you are trash at this,pB,m-900,Insult",
    "imp-3,,pA,m-900,",
    "imp-4,nice flank,pC,m-900,",
  ].join("\n");
  await page.locator('input[type="file"]').setInputFiles({ name: "chat.csv", mimeType: "text/csv", buffer: Buffer.from(`${csv}\n`) });
  await expect(page.getByLabel("Column for text")).toBeVisible();
  await page.getByLabel("Column for text").selectOption("message");
  await page.getByRole("button", { name: "Import", exact: true }).click();

  const result = page.getByTestId("import-result");
  await expect(result).toBeVisible();
  await expect(page.getByTestId("import-errors")).toContainText("line 4");
  await expect(result).toContainText("Inserted");

  const stored = await withE2eDb(async (db) => {
    const { rows } = await db.query<{ external_id: string; text: string; category: string | null }>(
      `SELECT e.external_id, e.text, c.name AS category FROM excerpt e LEFT JOIN category c ON c.id = e.current_category_id
       WHERE e.external_id LIKE 'imp-%' ORDER BY e.external_id`,
    );
    return rows;
  });
  expect(stored.map((r) => r.external_id)).toEqual(["imp-1", "imp-2", "imp-4"]);
  expect(stored.find((r) => r.external_id === "imp-2")?.category).toBe("Insult");
});
