import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { E2E_PASSWORD, E2E_USERS } from "../support/fixture.ts";

// Finding 7: no Content-Security-Policy, frame-ancestors/X-Frame-Options, nosniff or Referrer-Policy on any response.
test("pages carry a nonce CSP without inline scripts, API responses a deny-all one, both the other security headers", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(m.text());
  });
  const res = await page.goto("/login");
  const headers = res!.headers();
  const csp = headers["content-security-policy"]!;
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  // a fresh nonce per view
  const again = (await page.request.get("/login")).headers()["content-security-policy"];
  expect(again).not.toBe(csp);

  // the app still works under the policy: sign in and use the queue
  await signIn(page, E2E_USERS.moderator);
  await page.goto("/w/default/queue");
  await expect(page.getByRole("button", { name: /Accept suggestion/ })).toBeVisible();
  expect(violations).toEqual([]);

  const api = await page.request.get("/api/w/default/queue/progress");
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["referrer-policy"]).toBe("same-origin");
});

test("the session cookie is httpOnly, SameSite=Lax and host-only", async ({ page }) => {
  await signIn(page, E2E_USERS.manager);
  const cookie = (await page.context().cookies()).find((c) => c.name === "modloop_session")!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
  expect(cookie.domain).not.toMatch(/^\./);
});

// Finding 2: 40 guesses with a different X-Forwarded-For each all got 401, and after a lockout a correct
// password with a new header signed in. The server now keys on the TCP peer (no trusted proxies here).
test("rotating X-Forwarded-For does not get past the sign-in throttle, not even with the right password", async ({ playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  const signedIn = await admin.post("/api/auth/login", { data: { email: E2E_USERS.admin, password: E2E_PASSWORD } });
  expect(signedIn.status()).toBe(200);
  const password = "maple-trumpet-glacier-onion";
  const email = `throttle-${Date.now()}@e2e.test`;
  expect((await admin.post("/api/admin/users", { data: { email, name: "Throttle Target", role: "moderator", password } })).status()).toBe(200);

  const attacker = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const r = await attacker.post("/api/auth/login", { data: { email, password: `guess-${i}` }, headers: { "x-forwarded-for": `203.0.113.${i + 1}` } });
    statuses.push(r.status());
  }
  expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(6); // one more may land once the first 1 s wait is over
  expect(statuses).toContain(429);
  const right = await attacker.post("/api/auth/login", { data: { email, password }, headers: { "x-forwarded-for": "198.51.100.77" } });
  expect(right.status()).toBe(429);
  expect(Number(right.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  await admin.dispose();
  await attacker.dispose();
});

test("a user changes their own password: the current one is asked, the policy applies, other sessions end", async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  expect((await anonymous.post("/api/auth/password", { data: { currentPassword: "x", newPassword: "y" } })).status()).toBe(401);

  const admin = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  await admin.post("/api/auth/login", { data: { email: E2E_USERS.admin, password: E2E_PASSWORD } });
  const email = `changer-${Date.now()}@e2e.test`;
  const first = "walrus-ember-cactus-piano";
  // a member of the e2e workspace, so their session can open its API below
  expect((await admin.post("/api/admin/users", { data: { email, name: "Changer", role: "moderator", password: first, workspace: "default" } })).status()).toBe(
    200,
  );
  // the admin's own reset is held to the same policy
  const users = (await (await admin.get("/api/admin/users")).json()) as { users: { id: number; email: string }[] };
  const id = users.users.find((u) => u.email === email)!.id;
  expect((await admin.patch(`/api/admin/users/${id}`, { data: { password: "password1234" } })).status()).toBe(422);

  const here = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  const elsewhere = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  for (const ctx of [here, elsewhere]) expect((await ctx.post("/api/auth/login", { data: { email, password: first } })).status()).toBe(200);
  const wrong = await here.post("/api/auth/password", { data: { currentPassword: "not-it", newPassword: "otter-violin-gravel-moon" } });
  expect(wrong.status()).toBe(422);
  expect((await wrong.json()).error.message).toMatch(/^body\.currentPassword/);
  const weak = await here.post("/api/auth/password", { data: { currentPassword: first, newPassword: "12345678" } });
  expect(weak.status()).toBe(422);
  const ok = await here.post("/api/auth/password", { data: { currentPassword: first, newPassword: "otter-violin-gravel-moon" } });
  expect(ok.status()).toBe(200);
  expect((await here.get("/api/w/default/queue/progress")).status()).toBe(200);
  expect((await elsewhere.get("/api/w/default/queue/progress")).status()).toBe(401);
  for (const ctx of [anonymous, admin, here, elsewhere]) await ctx.dispose();
});
