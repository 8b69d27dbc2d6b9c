import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

/**
 * Every page each role can reach, found the way a person finds them (the header's links, the admin
 * tabs, the first excerpt's page, and /workspaces), so the list follows the app's URLs instead of
 * repeating them: an axe-core check (WCAG 2.x A/AA) with no serious or critical violation (the dark
 * theme too, as the admin, in a test of its own), and screenshots at 1440×900 and 1024×768 under
 * test-results/screens/. One page load per page and role: the links are collected from the pages being
 * checked. The dark theme is a prefers-color-scheme media query, emulated before sign-in.
 */
const ROLES = ["moderator", "manager", "data_scientist", "admin"] as const;
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
] as const;

async function linksIn(page: Page, navLabel: string): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: navLabel });
  if ((await nav.count()) === 0) return [];
  return nav.getByRole("link").evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n")[1] ?? ""}`),
    }));
}

const slug = (path: string) => path.replace(/^\/+/, "").replace(/[^a-z0-9]+/gi, "-") || "home";

/**
 * The admin reaches every page (~17), more than one test can check in its time on the shared machine:
 * its pages are split into the workspace's pages and the Admin tabs, and the dark theme (checked by the
 * admin, who reaches every page) is a pass of its own.
 */
type TScope = "all" | "workspace" | "admin tabs";
const PASSES: { role: (typeof ROLES)[number]; colorScheme: "light" | "dark"; scope: TScope }[] = [
  ...ROLES.filter((role) => role !== "admin").map((role) => ({ role, colorScheme: "light" as const, scope: "all" as const })),
  ...(["light", "dark"] as const).flatMap((colorScheme) =>
    (["workspace", "admin tabs"] as const).map((scope) => ({ role: "admin" as const, colorScheme, scope })),
  ),
];
const isAdminTab = (path: string) => /\/admin\//.test(path);

for (const { role, colorScheme, scope } of PASSES) {
  const what = scope === "all" ? "every page" : `every ${scope === "workspace" ? "workspace page" : "Admin tab"}`;
  test(`${what} a ${role} reaches passes axe in the ${colorScheme} theme (no serious or critical violation) and is captured at 1440×900 and 1024×768`, async ({
    page,
  }) => {
    // an axe run and two screenshots take several seconds a page on the shared 2-core machine under load
    test.setTimeout(240_000);
    // specs share the queue: release leases so the moderator's queue page shows a card
    await withE2eDb((db) => db.query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE is_open AND leased_by_id IS NOT NULL`));
    await page.emulateMedia({ colorScheme });
    await signIn(page, role === "moderator" ? E2E_USERS.moderator2 : E2E_USERS[role]);
    const toVisit = scope === "admin tabs" ? ["/w/default/admin/members"] : ["/", "/workspaces"];
    const inScope = (path: string) => scope === "all" || (scope === "admin tabs") === isAdminTab(path);
    const checked = new Set<string>();
    const found: Record<string, unknown> = {};
    while (toVisit.length > 0) {
      const requested = toVisit.shift()!;
      await page.setViewportSize(VIEWPORTS[0]);
      await page.goto(requested);
      const path = new URL(page.url()).pathname; // "/" lands on the role's first page
      if (checked.has(path)) continue;
      checked.add(path);
      // rendered (the main landmark is there), and the client's first data fetched (network quiet for
      // 500 ms; a page that polls may never be fully quiet, so this waits at most 5 s)
      await expect(page.getByRole("main")).toBeVisible();
      await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
      const next = [...(await linksIn(page, "Main")), ...(await linksIn(page, "Admin"))];
      if (/\/excerpts$/.test(path)) {
        const first = page.locator('a[href*="/excerpts/"]').first();
        if (await first.count()) next.push(new URL((await first.getAttribute("href"))!, page.url()).pathname);
      }
      for (const p of next) if (inScope(p) && !checked.has(p) && !toVisit.includes(p)) toVisit.push(p);
      const violations = await seriousViolations(page);
      if (violations.length > 0) found[`${path} (${colorScheme})`] = violations;
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport);
        await page.screenshot({ path: `test-results/screens/${role}-${slug(path)}-${colorScheme}-${viewport.width}x${viewport.height}.png` });
      }
    }
    expect(checked.size).toBeGreaterThan(2);
    if (scope !== "admin tabs") expect(checked).toContain("/workspaces");
    if (scope === "admin tabs") expect([...checked].filter(isAdminTab).length).toBeGreaterThan(4);
    expect(found).toEqual({});
  });
}

test("the queue is fully usable from the keyboard, with a visible focus ring", async ({ page }) => {
  await withE2eDb((db) => db.query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE is_open AND leased_by_id IS NOT NULL`));
  await signIn(page, E2E_USERS.moderator2);
  await expect(page.getByTestId("queue-card")).toBeVisible();
  // Tab reaches the category buttons; each focused element draws an outline
  let reachedCategory = false;
  for (let i = 0; i < 30 && !reachedCategory; i++) {
    await page.keyboard.press("Tab");
    const focused = page.locator(":focus");
    const outline = await focused.evaluate((el) => getComputedStyle(el).outlineStyle + " " + getComputedStyle(el).outlineWidth);
    expect(outline).not.toMatch(/^none|\b0px$/);
    reachedCategory = (await focused.getAttribute("data-testid"))?.startsWith("category-") ?? false;
  }
  expect(reachedCategory).toBe(true);
  // the guideline follows keyboard focus, so it can be read without a mouse
  const focusedName = (await page.locator(":focus").textContent())!;
  await expect(page.getByTestId("guideline")).toContainText(
    focusedName
      .replace(/^\d/, "")
      .replace(/\d+%$|<1%$|>99%$/, "")
      .trim()
      .slice(0, 6),
  );
});
