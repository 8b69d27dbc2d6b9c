import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { E2E_USERS } from "../support/fixture.ts";

test("excerpt search filters live in the URL: a search survives a reload and can be shared", async ({ page, context }) => {
  await signIn(page, E2E_USERS.data_scientist);
  await page.goto("/w/default/excerpts");
  const rows = page.getByTestId("excerpt-rows").locator("tr");
  await expect(rows.first()).toBeVisible();

  await page.getByPlaceholder("Words in the excerpt…").fill("goldshop");
  await expect(page).toHaveURL(/\/excerpts\?q=goldshop$/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("cheap coins at goldshop dot com");

  await page.getByLabel("Label").selectOption("unlabelled");
  await expect(page).toHaveURL(/\/excerpts\?q=goldshop&status=unlabelled$/);
  await expect(page.getByTestId("excerpt-rows")).toContainText("No excerpts match");

  // reloading keeps the search, form and results alike
  await page.getByLabel("Label").selectOption("labelled");
  await expect(page).toHaveURL(/\/excerpts\?q=goldshop&status=labelled$/);
  await page.reload();
  await expect(page.getByPlaceholder("Words in the excerpt…")).toHaveValue("goldshop");
  await expect(page.getByLabel("Label")).toHaveValue("labelled");
  await expect(rows).toHaveCount(1);

  // a shared link opens the same search for someone else; nonsense in it is ignored, not half-applied
  const other = await context.browser()!.newContext();
  const manager = await other.newPage();
  await signIn(manager, E2E_USERS.manager);
  await manager.goto("/w/default/excerpts?q=goldshop&status=bogus&minScore=7");
  await expect(manager.getByTestId("excerpt-rows").locator("tr")).toHaveCount(1);
  await expect(manager.getByLabel("Label")).toHaveValue("all");
  await expect(manager.getByLabel("Minimum score")).toHaveValue("");
  await expect(manager).toHaveURL(/\/excerpts\?q=goldshop$/);
  await other.close();

  await page.getByRole("button", { name: "Reset" }).click();
  await expect(page).toHaveURL(/\/excerpts$/);
  await expect(page.getByPlaceholder("Words in the excerpt…")).toHaveValue("");
});
