import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, userForToken } from "../auth/session.ts";
import { verifyPassword } from "../auth/password.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { runIdempotent } from "../idempotency/run-idempotent.ts";
import { createUser } from "./create-user.ts";
import { listUsers } from "./list-users.ts";
import { ZCreateUser, ZUpdateUser } from "@/lib/users/contract.ts";
import { updateUser } from "./update-user.ts";

let drop: () => Promise<void>;
let prisma: Awaited<ReturnType<typeof createTestDatabase>>["prisma"];

beforeAll(async () => {
  ({ drop, prisma } = await createTestDatabase());
});
afterAll(() => drop());

describe("user administration", () => {
  it("creates users with a hashed password and refuses a duplicate email", async () => {
    const admin = await createUser(ZCreateUser.parse({ email: "Admin@X.test", name: "Ada", role: "admin", password: "amber-kettle-orbit-lantern" }));
    expect(admin.email).toBe("admin@x.test");
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
    expect(stored.passwordHash).not.toContain("amber-kettle-orbit-lantern");
    expect(await verifyPassword("amber-kettle-orbit-lantern", stored.passwordHash)).toBe(true);
    await expect(
      createUser(ZCreateUser.parse({ email: "admin@x.test", name: "Again", role: "moderator", password: "amber-kettle-orbit-lantern" })),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(() => ZCreateUser.parse({ email: "m@x.test", name: "M", role: "moderator", password: "short" })).toThrow(/12 characters/);
  });

  // Finding 6: "password", "12345678" and eight spaces were accepted as new passwords.
  it("enforces the password policy on create and on an admin reset, naming the field", async () => {
    for (const password of ["password", "12345678", "        ", "password1234", "123456789012"]) {
      const parsed = ZCreateUser.safeParse({ email: "weak@x.test", name: "Weak", role: "moderator", password });
      expect(parsed.success, password).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["password"]);
      expect(ZUpdateUser.safeParse({ password }).success, password).toBe(false);
    }
    // the person's own details are checked where the server knows them
    await expect(
      createUser({ email: "grace.hopper@x.test", name: "Grace Hopper", role: "moderator", password: "Grace-Hopper-grace-hopper" }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/^body\.password: /),
    });
    const [admin] = await listUsers();
    const grace = await createUser({ email: "grace@x.test", name: "Grace Hopper", role: "moderator", password: "cobol-compass-nebula-41" });
    await expect(updateUser({ actorId: admin!.id, userId: grace.id, changes: { password: "hopper-grace-hopper" } })).rejects.toMatchObject({
      code: "VALIDATION",
    });
  });

  it("changes roles, and deactivating or resetting a password ends the user's sessions", async () => {
    const [admin] = await listUsers();
    const mod = await createUser(ZCreateUser.parse({ email: "mod@x.test", name: "Mo", role: "moderator", password: "velvet-canyon-pickle-radio" }));
    await updateUser({ actorId: admin.id, userId: mod.id, changes: ZUpdateUser.parse({ role: "manager" }) });
    const { token } = await createSession(mod.id);
    expect((await userForToken(token))?.role).toBe("manager");

    await updateUser({ actorId: admin.id, userId: mod.id, changes: ZUpdateUser.parse({ password: "frost-meadow-tuba-signal" }) });
    expect(await userForToken(token)).toBeNull();
    const fresh = await createSession(mod.id);
    await updateUser({ actorId: admin.id, userId: mod.id, changes: ZUpdateUser.parse({ isActive: false }) });
    expect(await userForToken(fresh.token)).toBeNull();
    expect((await listUsers()).find((u) => u.id === mod.id)?.isActive).toBe(false);
  });

  it("marks a moderator as senior (an adjudicator) and back", async () => {
    const [admin] = await listUsers();
    const mod = await createUser(ZCreateUser.parse({ email: "senior@x.test", name: "Sen", role: "moderator", password: "velvet-canyon-pickle-radio" }));
    expect(mod.isSenior).toBe(false);
    await updateUser({ actorId: admin.id, userId: mod.id, changes: ZUpdateUser.parse({ isSenior: true }) });
    expect((await listUsers()).find((u) => u.id === mod.id)).toMatchObject({ isSenior: true, role: "moderator" });
    await updateUser({ actorId: admin.id, userId: mod.id, changes: ZUpdateUser.parse({ isSenior: false }) });
    expect((await listUsers()).find((u) => u.id === mod.id)?.isSenior).toBe(false);
  });

  it("stops an admin from demoting or deactivating themselves", async () => {
    const [admin] = await listUsers();
    await expect(updateUser({ actorId: admin.id, userId: admin.id, changes: { role: "moderator" } })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(updateUser({ actorId: admin.id, userId: admin.id, changes: { isActive: false } })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(updateUser({ actorId: admin.id, userId: 99999, changes: { name: "x" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  // A request with an Idempotency-Key whose answer was never stored (the process died after the write):
  // the account must not be left behind, or the retry answers "already exists" to its own request.
  it("creates the account in the idempotent request's transaction: a failure before the answer leaves none, the retry creates it once", async () => {
    const adminId = (await prisma.user.findUniqueOrThrow({ where: { email: "admin@x.test" } })).id;
    await prisma.workspace.create({ data: { slug: "idem-ws", name: "Idem" } });
    const body = ZCreateUser.parse({ email: "retry@x.test", name: "Retry", role: "moderator", password: "quiet-harbor-lantern-77", workspace: "idem-ws" });
    const scope = { userId: adminId, workspaceId: null, key: "create-retry-user-1", operation: "users.create", request: body };
    await expect(
      runIdempotent(scope, async () => {
        await createUser(body);
        throw new Error("the process died before the answer was stored");
      }),
    ).rejects.toThrow("died");
    expect(await prisma.user.count({ where: { email: "retry@x.test" } })).toBe(0);
    expect(await prisma.workspaceMember.count({ where: { workspace: { slug: "idem-ws" } } })).toBe(0);
    const first = await runIdempotent(scope, () => createUser(body));
    const replay = await runIdempotent(scope, () => createUser(body));
    expect(replay).toEqual(first);
    expect(await prisma.user.count({ where: { email: "retry@x.test" } })).toBe(1);
    expect(await prisma.workspaceMember.count({ where: { workspace: { slug: "idem-ws" }, userId: first.id } })).toBe(1);
  });

  it("two creations of one email at once: one account, the other told it exists", async () => {
    const body = ZCreateUser.parse({ email: "twice@x.test", name: "Twice", role: "moderator", password: "quiet-harbor-lantern-78" });
    const results = await Promise.allSettled([createUser(body), createUser(body)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT" });
    expect(await prisma.user.count({ where: { email: "twice@x.test" } })).toBe(1);
  });
});
