import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZCreateWorkspace } from "@/lib/workspace/contract.ts";
import { DEMO_USERS } from "@/lib/demo/demo-users.ts";
import { hashPassword } from "../auth/password.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { createWorkspace } from "../workspace/create-workspace.ts";
import { resolveWorkspace } from "../workspace/resolve-workspace.ts";
import { seedDemoWorkspace } from "./seed-demo-workspace.ts";

// `npm run db:seed` on an install that already has its own accounts and workspaces: the demo's accounts share
// one published password, so none of them may reach beyond the demo workspace.
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let ownWorkspaceId: number;
let demoWorkspaceId: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const owner = await testDb.prisma.user.create({
    data: { email: "lead@studio.example", name: "Lead", role: "admin", passwordHash: await hashPassword("a long own passphrase 42") },
  });
  ownWorkspaceId = (await createWorkspace({ input: ZCreateWorkspace.parse({ name: "Our game", template: "toxic-binary" }), creatorUserId: owner.id })).id;
  demoWorkspaceId = (await seedDemoWorkspace({ conversations: 5, hasReviewHistory: false })).workspaceId;
}, 120_000);

afterAll(async () => {
  await testDb?.drop();
});

describe("seeding the demo beside a team's own accounts", () => {
  it("makes the demo admin an admin of the demo workspace only, never an instance admin", async () => {
    const demoAdminEmail = DEMO_USERS.find((u) => u.role === "admin")!.email;
    const demoAdmin = await testDb.prisma.user.findUniqueOrThrow({ where: { email: demoAdminEmail } });
    expect(demoAdmin.role).not.toBe("admin");
    const memberships = await testDb.prisma.workspaceMember.findMany({ where: { userId: demoAdmin.id } });
    expect(memberships.map((m) => [m.workspaceId, m.role])).toEqual([[demoWorkspaceId, "admin"]]);
    // what the route wrapper and the pages ask: the team's workspace answers as unknown (404), the demo as admin
    expect(await resolveWorkspace({ slug: "our-game", user: demoAdmin })).toBeNull();
    expect((await resolveWorkspace({ slug: "demo", user: demoAdmin }))?.role).toBe("admin");
  });

  it("gives no demo account any membership of the team's workspace", async () => {
    const demoIds = (await testDb.prisma.user.findMany({ where: { email: { in: DEMO_USERS.map((u) => u.email) } }, select: { id: true } })).map((u) => u.id);
    expect(demoIds).toHaveLength(DEMO_USERS.length);
    expect(await testDb.prisma.workspaceMember.count({ where: { workspaceId: ownWorkspaceId, userId: { in: demoIds } } })).toBe(0);
    const instanceAdmins = await testDb.prisma.user.findMany({ where: { role: "admin" }, select: { email: true } });
    expect(instanceAdmins.map((u) => u.email)).toEqual(["lead@studio.example"]);
  });
});
