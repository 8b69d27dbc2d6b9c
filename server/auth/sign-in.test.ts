import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../test/test-db.ts";
import { hashPassword } from "./password.ts";
import { MAX_FAILURES, signIn } from "./sign-in.ts";
import { userForToken } from "./session.ts";

let drop: () => Promise<void>;
let prisma: Awaited<ReturnType<typeof createTestDatabase>>["prisma"];

beforeAll(async () => {
  ({ drop, prisma } = await createTestDatabase());
  const passwordHash = await hashPassword("right-password");
  await prisma.user.createMany({
    data: [
      { email: "mod@x.test", name: "Mod", role: "moderator", passwordHash },
      { email: "gone@x.test", name: "Gone", role: "moderator", passwordHash, isActive: false },
    ],
  });
});
afterAll(() => drop());

describe("signIn", () => {
  it("returns a session token that resolves to the user (email matched case-insensitively)", async () => {
    const { user, token } = await signIn({ email: " MOD@x.test ", password: "right-password", ip: "1.1.1.1" });
    expect(user.email).toBe("mod@x.test");
    expect((await userForToken(token))?.id).toBe(user.id);
  });

  it("rejects a wrong password and an unknown email with the same message", async () => {
    await expect(signIn({ email: "mod@x.test", password: "nope", ip: "2.2.2.2" })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(signIn({ email: "nobody@x.test", password: "nope", ip: "2.2.2.2" })).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      message: expect.stringContaining("Email or password is wrong"),
    });
  });

  it("refuses deactivated accounts even with the right password", async () => {
    await expect(signIn({ email: "gone@x.test", password: "right-password", ip: "3.3.3.3" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("rate limits per email and IP after five failures, even for the right password, without locking out other IPs", async () => {
    for (let i = 0; i < MAX_FAILURES; i++) {
      await expect(signIn({ email: "mod@x.test", password: `wrong-${i}`, ip: "9.9.9.9" })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    }
    await expect(signIn({ email: "mod@x.test", password: "right-password", ip: "9.9.9.9" })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await expect(signIn({ email: "mod@x.test", password: "right-password", ip: "8.8.8.8" })).resolves.toMatchObject({ user: { email: "mod@x.test" } });
  });

  it("forgets failures older than the window", async () => {
    const key = "mod@x.test|7.7.7.7";
    const old = new Date(Date.now() - 16 * 60_000);
    await prisma.loginAttempt.createMany({ data: Array.from({ length: 10 }, () => ({ key, isSuccess: false, attemptedAt: old })) });
    await expect(signIn({ email: "mod@x.test", password: "right-password", ip: "7.7.7.7" })).resolves.toBeTruthy();
  });
});
