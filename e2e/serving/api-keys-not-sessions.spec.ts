import { expect, test } from "@playwright/test";
import { generateApiKey } from "../../lib/serving/api-key.ts";
import { withE2eDb } from "../support/database.ts";

/**
 * Machine-API keys (issue 11) never authorise the moderator UI: not as a Bearer header on the app's API
 * routes or pages, not smuggled in as the session cookie. (The API process refusing session cookies is
 * tested in server/serving/machine-api.test.ts.)
 */
test("an API key opens no page and no app API route", async ({ browser }) => {
  const { key, prefix, keyHash } = generateApiKey();
  await withE2eDb((db) =>
    db.query(
      `INSERT INTO api_key (workspace_id, name, prefix, key_hash, scopes) SELECT id, 'e2e', $1, $2, ARRAY['classify', 'ingest', 'decisions:read'] FROM workspace ORDER BY id LIMIT 1`,
      [prefix, keyHash],
    ),
  );
  const bearer = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  const page = await bearer.newPage();
  await page.goto("/w/default/queue");
  await expect(page).toHaveURL(/\/login$/);
  for (const res of [
    await page.request.get("/api/w/default/queue/progress"),
    await page.request.get("/api/w/default/excerpts/search"),
    await page.request.get("/api/admin/users"),
  ]) {
    expect(res.status()).toBe(401);
  }
  await bearer.close();

  const cookie = await browser.newContext();
  await cookie.addCookies([{ name: "modloop_session", value: key, url: test.info().project.use.baseURL! }]);
  const cookiePage = await cookie.newPage();
  await cookiePage.goto("/w/default/queue");
  await expect(cookiePage).toHaveURL(/\/login$/);
  expect((await cookiePage.request.get("/api/w/default/queue/progress")).status()).toBe(401);
  await cookie.close();
});
