import { expect, test } from "@playwright/test";
import { sameOrigin, signIn } from "../support/auth.ts";
import { E2E_PASSWORD, E2E_USERS } from "../support/fixture.ts";

test("a moderator cannot reach admin pages or admin API routes", async ({ page }) => {
  await signIn(page, E2E_USERS.moderator);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);

  for (const path of ["/w/default/admin/users", "/w/default/admin/taxonomy", "/w/default/admin/settings", "/w/default/admin/import"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/forbidden$/);
    await expect(page.getByText("You do not have access to that page")).toBeVisible();
  }

  const api = page.request;
  const checks = [
    await api.get("/api/admin/users"),
    await api.post("/api/admin/users", { data: { email: "x@e2e.test", name: "X", role: "admin", password: "password123" }, headers: sameOrigin(page) }),
    await api.patch("/api/admin/users/1", { data: { role: "admin" }, headers: sameOrigin(page) }),
    await api.post("/api/w/default/admin/categories", { data: { name: "Sneaky" }, headers: sameOrigin(page) }),
    await api.put("/api/w/default/admin/settings", {
      data: { flagThreshold: 0.1, rankStrategy: "random", randomShare: 0.1, leaseSeconds: 60 },
      headers: sameOrigin(page),
    }),
  ];
  for (const res of checks) {
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe("FORBIDDEN");
  }
});

test("signed-out visitors are sent to sign in, and API routes answer 401", async ({ page }) => {
  await page.goto("/w/default/queue");
  await expect(page).toHaveURL(/\/login$/);
  const res = await page.request.post("/api/w/default/queue/claim", { headers: sameOrigin(page) });
  expect(res.status()).toBe(401);
});

test("a wrong password shows a clear error", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_USERS.manager);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Email or password is wrong")).toBeVisible();
});

test("after a wrong password the email is still filled in, and the next try signs in", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_USERS.manager);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\?error=credentials$/);
  await expect(page.getByRole("alert").filter({ hasText: /Email or password is wrong/ })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(E2E_USERS.manager);
  await expect(page.getByLabel("Password")).toHaveValue("");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
});

// Before the page's scripts run (a slow connection, a password manager pressing Enter), the form was
// sent as a GET to /login with the password in the address: history, logs, the Referer of the next page.
test("the sign-in form works before (and without) the page's scripts, and never puts the password in an address", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  const addresses: string[] = [];
  page.on("request", (r) => addresses.push(r.url()));
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_USERS.manager);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /Email or password is wrong/ })).toBeVisible();
  await page.getByLabel("Email").fill(E2E_USERS.manager);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  expect((await context.cookies()).some((c) => c.name === "modloop_session")).toBe(true);
  // as a form would encode them into an address (spaces as +), and as they are
  const secrets = ["not-the-password", E2E_PASSWORD].flatMap((p) => [p, new URLSearchParams({ p }).toString().slice(2), encodeURIComponent(p)]);
  expect(addresses.filter((a) => a.includes("password=") || secrets.some((secret) => a.includes(secret)))).toEqual([]);
  await context.close();
});

// Typed (or filled in by a password manager) before the page's scripts ran, submitted after: the browser's
// own inputs keep what was typed, and that is what is posted.
test("what was typed before the page's scripts ran is what signs in", async ({ page }) => {
  // the page's scripts are held back until the fields are filled in
  let releaseScripts!: () => void;
  const scriptsHeld = new Promise<void>((r) => (releaseScripts = r));
  await page.route("**/_next/static/chunks/*.js", async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  await page.goto("/login", { waitUntil: "commit" });
  await page.getByLabel("Email").fill(E2E_USERS.manager);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  releaseScripts();
  // hydrated now (the demo buttons' handlers are attached by the same script)
  await page.waitForFunction(() => Object.keys(document.querySelector("form") ?? {}).some((k) => k.startsWith("__react")));
  await expect(page.getByLabel("Email")).toHaveValue(E2E_USERS.manager);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
});
