import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "../env.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { pruneAuthRecords } from "./prune-auth-records.ts";
import { resolveWorkspace } from "../workspace/resolve-workspace.ts";
import { createSession, hashSessionToken, sessionCookieName, sessionCookieOptions, sessionInWorkspace, userForToken } from "./session.ts";

let drop: () => Promise<void>;
let prisma: Awaited<ReturnType<typeof createTestDatabase>>["prisma"];
let userId: number;

beforeAll(async () => {
  ({ drop, prisma } = await createTestDatabase());
  ({ id: userId } = await prisma.user.create({ data: { email: "s@x.test", name: "S", role: "moderator", passwordHash: "x" } }));
});
afterAll(() => drop());
afterEach(() => {
  delete process.env.MODLOOP_PUBLIC_URL;
  delete process.env.MODLOOP_SESSION_IDLE_MINUTES;
  delete process.env.MODLOOP_SESSION_MAX_HOURS;
  resetEnvCache();
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

// Finding 7: 14-day sessions with no idle timeout, never deleted.
describe("session timeouts", () => {
  it("ends at MODLOOP_SESSION_MAX_HOURS after sign-in (default 12 h), however active", async () => {
    const { token, expiresAt } = await createSession(userId);
    expect(Math.abs(expiresAt.getTime() - Date.now() - 12 * 3600_000)).toBeLessThan(5000);
    await prisma.session.update({ where: { id: hashSessionToken(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await userForToken(token)).toBeNull();

    process.env.MODLOOP_SESSION_MAX_HOURS = "2";
    resetEnvCache();
    const short = await createSession(userId);
    expect(Math.abs(short.expiresAt.getTime() - Date.now() - 2 * 3600_000)).toBeLessThan(5000);
  });

  it("ends after MODLOOP_SESSION_IDLE_MINUTES without a request (default 120), and a request keeps it alive", async () => {
    const { token } = await createSession(userId);
    const id = hashSessionToken(token);
    await prisma.session.update({ where: { id }, data: { lastSeenAt: minutesAgo(119) } });
    expect(await userForToken(token)).not.toBeNull();
    // that request counted as activity
    expect((await prisma.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 5000);
    await prisma.session.update({ where: { id }, data: { lastSeenAt: minutesAgo(121) } });
    expect(await userForToken(token)).toBeNull();

    process.env.MODLOOP_SESSION_IDLE_MINUTES = "15";
    resetEnvCache();
    const other = await createSession(userId);
    await prisma.session.update({ where: { id: hashSessionToken(other.token) }, data: { lastSeenAt: minutesAgo(16) } });
    expect(await userForToken(other.token)).toBeNull();
  });

  it("the sweep deletes expired and idle sessions and keeps live ones", async () => {
    await prisma.session.deleteMany();
    const live = await createSession(userId);
    const idle = await createSession(userId);
    const expired = await createSession(userId);
    await prisma.session.update({ where: { id: hashSessionToken(idle.token) }, data: { lastSeenAt: minutesAgo(200) } });
    await prisma.session.update({ where: { id: hashSessionToken(expired.token) }, data: { expiresAt: minutesAgo(1) } });
    expect(await pruneAuthRecords()).toMatchObject({ sessionsDeleted: 2 });
    expect((await prisma.session.findMany()).map((s) => s.id)).toEqual([hashSessionToken(live.token)]);
  });
});

describe("session cookie", () => {
  it("is Secure and __Host- prefixed when MODLOOP_PUBLIC_URL is https, whatever proxies say", () => {
    process.env.MODLOOP_PUBLIC_URL = "https://modloop.example.com";
    resetEnvCache();
    expect(sessionCookieName()).toBe("__Host-modloop_session");
    expect(sessionCookieOptions(new Date())).toMatchObject({ secure: true, path: "/", httpOnly: true, sameSite: "lax" });
    expect(sessionCookieOptions(new Date())).not.toHaveProperty("domain");
  });

  it("is a plain host-only cookie over http (local use)", () => {
    process.env.MODLOOP_PUBLIC_URL = "http://localhost:3000";
    resetEnvCache();
    expect(sessionCookieName()).toBe("modloop_session");
    expect(sessionCookieOptions(null)).toMatchObject({ secure: false, maxAge: 0 });
  });
});

describe("sessionInWorkspace (the wrapper's one-query session + workspace lookup)", () => {
  it("answers like userForToken plus resolveWorkspace: member role, non-member and unknown slug null, admin everywhere, dead session null", async () => {
    const ws = await prisma.workspace.create({ data: { slug: "sw-a", name: "A" } });
    await prisma.workspace.create({ data: { slug: "sw-b", name: "B" } });
    await prisma.workspaceMember.create({ data: { workspaceId: ws.id, userId, role: "manager" } });
    const { token } = await createSession(userId);

    const inA = await sessionInWorkspace(token, "sw-a");
    expect(inA?.user).toEqual(await userForToken(token));
    expect(inA?.resolved).toMatchObject({ role: "manager", workspace: { id: ws.id, slug: "sw-a" } });
    expect(inA?.resolved).toEqual(await resolveWorkspace({ slug: "sw-a", user: inA!.user }));
    // signed in, but not a member / no such workspace / not a slug at all: the user, and no workspace
    for (const slug of ["sw-b", "sw-none", "../x"]) {
      const found = await sessionInWorkspace(token, slug);
      expect(found?.user.id).toBe(userId);
      expect(found?.resolved).toBeNull();
    }

    const { id: adminId } = await prisma.user.create({ data: { email: "sa@x.test", name: "SA", role: "admin", passwordHash: "x" } });
    const admin = await createSession(adminId);
    expect((await sessionInWorkspace(admin.token, "sw-b"))?.resolved?.role).toBe("admin");

    expect(await sessionInWorkspace(undefined, "sw-a")).toBeNull();
    expect(await sessionInWorkspace("not-a-session", "sw-a")).toBeNull();
    await prisma.session.update({ where: { id: hashSessionToken(token) }, data: { lastSeenAt: minutesAgo(121) } });
    expect(await sessionInWorkspace(token, "sw-a")).toBeNull();
  });
});
