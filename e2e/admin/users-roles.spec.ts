import { expect, test } from "@playwright/test";
import { sameOrigin, signIn } from "../support/auth.ts";
import { E2E_USERS } from "../support/fixture.ts";

/**
 * The Users page of a workspace sets the role in that workspace (its membership), not the account's role:
 * making someone an admin of one workspace must not make them an admin of every workspace.
 */
test("a role chosen on one workspace's Users page stays in that workspace", async ({ page }) => {
  const stamp = Date.now();
  const email = `two-workspaces-${stamp}@e2e.test`;
  const other = `users-other-${stamp}`;
  await signIn(page, E2E_USERS.admin);
  const api = page.request;
  const headers = sameOrigin(page);
  expect((await api.post("/api/workspaces", { data: { name: other, slug: other, template: "blank" }, headers })).status()).toBe(201);
  const created = await api.post("/api/admin/users", {
    data: { email, name: `Two Workspaces ${stamp}`, role: "moderator", password: "amber-kettle-orbit-lantern", workspace: "default" },
    headers,
  });
  expect(created.status()).toBe(200);
  const { user } = (await created.json()) as { user: { id: number } };
  expect((await api.put(`/api/w/${other}/members/${user.id}`, { data: { role: "moderator" }, headers })).status()).toBe(200);

  await page.goto("/w/default/admin/users");
  const role = page.getByLabel(`Role of ${email}`);
  await expect(role).toHaveValue("moderator");
  const saved = page.waitForResponse((r) => r.request().method() !== "GET" && r.url().includes(String(user.id)));
  await role.selectOption("admin");
  expect((await saved).status()).toBe(200);

  const roleIn = async (slug: string) => {
    const { members } = (await (await api.get(`/api/w/${slug}/members`)).json()) as { members: { userId: number; role: string; isInstanceAdmin: boolean }[] };
    return members.find((m) => m.userId === user.id);
  };
  expect(await roleIn("default")).toMatchObject({ role: "admin", isInstanceAdmin: false });
  expect(await roleIn(other)).toMatchObject({ role: "moderator", isInstanceAdmin: false });

  // each workspace's Users page shows the role there
  await page.reload();
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("admin");
  await page.goto(`/w/${other}/admin/users`);
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("moderator");
});
