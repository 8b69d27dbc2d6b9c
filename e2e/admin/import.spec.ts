import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

const stored = () =>
  withE2eDb(async (db) => {
    const { rows } = await db.query<{ external_id: string; text: string; category: string | null }>(
      `SELECT e.external_id, e.text, c.name AS category FROM excerpt e LEFT JOIN category c ON c.id = e.current_category_id
       WHERE e.external_id LIKE 'imp-%' ORDER BY e.external_id`,
    );
    return rows;
  });

test("an admin previews a CSV, maps its labels, imports it and gets the skipped rows grouped, with their lines as CSV", async ({ page }) => {
  test.slow(); // a preview and an import round trip, each streaming the file through the server
  await signIn(page, E2E_USERS.admin);
  await page.goto("/w/default/admin/import");
  // line 1 is the header; line 4 has an empty text (the broken row); "rude" matches no category
  const csv = [
    "id,message,player,match,label",
    "imp-1,  see you next game  ,pA,m-900,NOT TOXIC",
    "imp-2,you are trash at this,pB,m-900,insult",
    "imp-3,,pA,m-900,insult",
    "imp-4,nice flank,pC,m-900,",
    "imp-5,go cry to your mom,pB,m-900,rude",
  ].join("\n");
  await page.locator('input[type="file"]').setInputFiles({ name: "chat.csv", mimeType: "text/csv", buffer: Buffer.from(`${csv}\n`) });

  // the preview: rows as they will be stored (trimmed), the detected text column, the proposed label mapping
  const rows = page.getByTestId("import-preview-rows");
  await expect(rows).toContainText("see you next game");
  await expect(rows).toContainText("skipped: text is empty");
  await expect(page.getByLabel("Column for text")).toContainText("detected: message");
  await expect(page.getByLabel("Category for label NOT TOXIC")).toHaveValue("Not toxic");
  await expect(page.getByLabel("Category for label insult")).toHaveValue("Insult");
  await expect(page.getByLabel("Category for label rude")).toHaveValue("");
  await expect(page.getByLabel("Label mapping")).toContainText("1 rows carry an unmapped label");
  expect(await stored()).toEqual([]); // nothing written before the import

  // map the unmatched label with the keyboard, then commit
  await page.getByLabel("Category for label rude").focus();
  await page.getByLabel("Category for label rude").selectOption("Insult");
  await page.getByRole("button", { name: "Import", exact: true }).click();

  const result = page.getByTestId("import-result");
  await expect(result).toBeVisible();
  await expect(result).toContainText("Inserted");
  const skipped = page.getByTestId("import-errors");
  await expect(skipped).toContainText("text is empty");
  await expect(skipped).toContainText("line 4");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download skipped lines (CSV)" }).click()]);
  expect(await readFile((await download.path())!, "utf8")).toBe("line,reason\n4,text is empty\n");

  const excerpts = await stored();
  expect(excerpts.map((r) => [r.external_id, r.text, r.category])).toEqual([
    ["imp-1", "see you next game", "Not toxic"],
    ["imp-2", "you are trash at this", "Insult"],
    ["imp-4", "nice flank", null],
    ["imp-5", "go cry to your mom", "Insult"],
  ]);
});
