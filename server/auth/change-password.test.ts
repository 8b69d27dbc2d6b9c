import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../test/test-db.ts";
import { changePassword } from "./change-password.ts";
import { hashPassword } from "./password.ts";
import { createSession, userForToken } from "./session.ts";
import { signIn } from "./sign-in.ts";

let drop: () => Promise<void>;
let prisma: Awaited<ReturnType<typeof createTestDatabase>>["prisma"];
let userId: number;
const OLD = "harbour-violet-tractor-9";
const NEW = "sleepy-comet-walnut-bridge";

beforeAll(async () => {
  ({ drop, prisma } = await createTestDatabase());
  ({ id: userId } = await prisma.user.create({ data: { email: "kim@x.test", name: "Kim Lee", role: "moderator", passwordHash: await hashPassword(OLD) } }));
});
afterAll(() => drop());

describe("changePassword", () => {
  it("asks for the current password and applies the policy, naming the field", async () => {
    await expect(changePassword({ userId, currentPassword: "not-it", newPassword: NEW, keepSessionToken: undefined })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/^body\.currentPassword: /),
    });
    await expect(changePassword({ userId, currentPassword: OLD, newPassword: "password1234", keepSessionToken: undefined })).rejects.toMatchObject({
      message: expect.stringMatching(/^body\.newPassword: /),
    });
    await expect(changePassword({ userId, currentPassword: OLD, newPassword: "kim-lee-kim-lee", keepSessionToken: undefined })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    await expect(changePassword({ userId, currentPassword: OLD, newPassword: OLD, keepSessionToken: undefined })).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("changes it and ends every other session of the user, keeping the one that asked", async () => {
    const here = await createSession(userId);
    const elsewhere = await createSession(userId);
    const result = await changePassword({ userId, currentPassword: OLD, newPassword: NEW, keepSessionToken: here.token });
    expect(result.sessionsEnded).toBe(1);
    expect(await userForToken(here.token)).not.toBeNull();
    expect(await userForToken(elsewhere.token)).toBeNull();
    await expect(signIn({ email: "kim@x.test", password: OLD, address: "1.1.1.1" })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(signIn({ email: "kim@x.test", password: NEW, address: "1.1.1.1" })).resolves.toBeTruthy();
  });
});
