import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

test("a manager reads the dashboard, filters it and drills into a confusion cell", async ({ page }) => {
  // Specs share the database: count what the dashboard would already show, then add twelve reviewed
  // labels on the audit slice (8 from the 'team' channel, 4 from 'all'; the moderator agrees with the
  // model on the first of every three).
  const standing = `FROM decision d JOIN excerpt e ON e.id = d.excerpt_id
     WHERE d.kind = 'label' AND d.suggested_category_id IS NOT NULL AND d.model_version_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = d.id)`;
  const before = await withE2eDb(async (db) => {
    const { rows } = await db.query<{ all: number; audit: number; team: number; teamAudit: number }>(
      `SELECT count(*)::int AS "all", count(*) FILTER (WHERE d.is_audit)::int AS audit,
              count(*) FILTER (WHERE e.channel = 'team')::int AS team,
              count(*) FILTER (WHERE d.is_audit AND e.channel = 'team')::int AS "teamAudit" ${standing}`,
    );
    return rows[0];
  });
  await withE2eDb(async (db) => {
    const { rows } = await db.query<{ id: string; channel: string; suggested: number; workspace_id: number; model_version_id: number }>(
      `(SELECT e.id::text, e.channel, p.suggested_category_id AS suggested, e.workspace_id, p.model_version_id
        FROM excerpt e JOIN prediction p ON p.excerpt_id = e.id WHERE e.channel = 'team' ORDER BY e.id DESC LIMIT 8)
       UNION ALL
       (SELECT e.id::text, e.channel, p.suggested_category_id, e.workspace_id, p.model_version_id
        FROM excerpt e JOIN prediction p ON p.excerpt_id = e.id WHERE e.channel = 'all' ORDER BY e.id DESC LIMIT 4)`,
    );
    const { rows: cats } = await db.query<{ id: number }>(`SELECT id FROM category ORDER BY sort_order`);
    const { rows: users } = await db.query<{ id: number }>(`SELECT id FROM app_user WHERE email = $1`, [E2E_USERS.moderator2]);
    for (const [i, r] of rows.entries()) {
      const label = i % 3 === 0 ? r.suggested : cats[(cats.findIndex((c) => c.id === r.suggested) + 1) % cats.length].id;
      await db.query(
        `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, model_version_id, suggested_category_id, is_audit, duration_ms)
         VALUES ($1, $2::bigint, $3, 'label', 'queue', $4, $5, $6, true, 1800)`,
        [r.workspace_id, r.id, users[0].id, label, r.model_version_id, r.suggested],
      );
    }
    // as the queue does once an item is labelled: close it, so a later spec's moderator is not served
    // an excerpt that already carries this label (their undo would then leave it labelled)
    await db.query(`UPDATE queue_item SET is_open = false, leased_by_id = NULL, lease_expires_at = NULL WHERE excerpt_id = ANY ($1::bigint[])`, [
      rows.map((r) => r.id),
    ]);
  });

  await signIn(page, E2E_USERS.manager);
  await page.goto("/w/default/dashboard");
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByTestId("label-totals")).toContainText(`${before.all + 12} reviewed labels in range, ${before.audit + 12} from the audit slice`);
  await expect(page.getByTestId("accuracy-chart").locator("svg.recharts-surface").first()).toBeVisible();
  // the time axis reads as people write dates ("23 Nov", "14:00"), never "2026-11-23T14:00"; the
  // y axis's ticks are percentages and are left out
  const tickValues = page.getByTestId("accuracy-chart").locator(".recharts-cartesian-axis-tick-value");
  await expect(tickValues.first()).toBeVisible();
  const timeTicks = (await tickValues.allTextContents()).map((t) => t.trim()).filter((t) => t && !t.endsWith("%"));
  expect(timeTicks.length).toBeGreaterThan(0);
  for (const label of timeTicks) expect(label).toMatch(/^(\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|\d{2}:\d{2})$/);
  await expect(page.getByTestId("confusion-matrix")).toBeVisible();
  await expect(page.getByTestId("backlog")).toContainText("Open in queue");
  await expect(page.getByText("The moderator figures follow the date range only")).toHaveCount(0);

  // Changing a filter re-queries and the numbers follow.
  await page.getByLabel("Channel").selectOption("team");
  await expect(page.getByTestId("label-totals")).toContainText(`${before.team + 8} reviewed labels in range, ${before.teamAudit + 8} from the audit slice`);
  // the moderator figures do not follow a channel filter, and say so
  await expect(page.getByText("The moderator figures follow the date range only")).toBeVisible();

  // Drill down from a non-empty off-diagonal cell to the excerpts behind it.
  const cell = page.getByTestId("confusion-matrix").locator("button:not([disabled])").first();
  await cell.click();
  await expect(page.getByTestId("drilldown").locator("li").first()).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/dashboard.png", fullPage: true });

  // Every table downloads as CSV.
  const res = await page.request.get("/api/w/default/dashboard/accuracy?format=csv&table=confusion&channel=team");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/csv");
  expect(await res.text()).toContain("moderator_label");
});

test("a moderator cannot open the dashboard or its API", async ({ page }) => {
  await signIn(page, E2E_USERS.moderator);
  await expect(page.getByRole("link", { name: "Dashboard" })).toHaveCount(0);
  await page.goto("/w/default/dashboard");
  await expect(page).toHaveURL(/\/forbidden$/);
  const res = await page.request.get("/api/w/default/dashboard/accuracy");
  expect(res.status()).toBe(403);
});
