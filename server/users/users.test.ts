import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, userForToken } from "../auth/session.ts";
import { verifyPassword } from "../auth/password.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { createUser } from "./create-user.ts";
import { listUsers } from "./list-users.ts";
import { ZCreateUser, ZUpdateUser } from "./schemas.ts";
import { updateUser } from "./update-user.ts";

let drop: () => Promise<void>;
let prisma: Awaited<ReturnType<typeof createTestDatabase>>["prisma"];

beforeAll(async () => {
  ({ drop, prisma } = await createTestDatabase());
});
afterAll(() => drop());

describe("user administration", () => {
  it("creates users with a hashed password and refuses a duplicate email", async () => {
    const admin = await createUser(ZCreateUser.parse({ email: "Admin@X.test", name: "Ada", role: "admin", password: "long-enough" }));
    expect(admin.email).toBe("admin@x.test");
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
    expect(stored.passwordHash).not.toContain("long-enough");
    expect(await verifyPassword("long-enough", stored.passwordHash)).toBe(true);
    await expect(createUser(ZCreateUser.parse({ email: "admin@x.test", name: "Again", role: "moderator", password: "long-enough" }))).rejects.toMatchObject({ code: "CONFLICT" });
    expect(() => ZCreateUser.parse({ email: "m@x.test", name: "M", role: "moderator", password: "short" })).toThrow(/8 characters/);
  });

  it("changes roles, and deactivating or resetting a password ends the user's sessions", async () => {
    const [admin] = await listUsers();
    const mod = await createUser(ZCreateUser.parse({ email: "mod@x.test", name: "Mo", role: "moderator", password: "first-password" }));
    await updateUser({ actorId: admin.id, userId: mod.id, changes: ZUpdateUser.parse({ role: "manager" }) });
    const { token } = await createSession(mod.id);
    expect((await userForToken(token))?.role).toBe("manager");

    await updateUser({ actorId: admin.id, userId: mod.id, changes: ZUpdateUser.parse({ password: "second-password" }) });
    expect(await userForToken(token)).toBeNull();
    const fresh = await createSession(mod.id);
    await updateUser({ actorId: admin.id, userId: mod.id, changes: ZUpdateUser.parse({ isActive: false }) });
    expect(await userForToken(fresh.token)).toBeNull();
    expect((await listUsers()).find((u) => u.id === mod.id)?.isActive).toBe(false);
  });

  it("marks a moderator as senior (an adjudicator) and back", async () => {
    const [admin] = await listUsers();
    const mod = await createUser(ZCreateUser.parse({ email: "senior@x.test", name: "Sen", role: "moderator", password: "first-password" }));
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
});
