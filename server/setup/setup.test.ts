import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { createFirstAdmin, SETUP_DONE_MESSAGE } from "./create-first-admin.ts";
import { isSetupNeeded } from "./is-setup-needed.ts";

let drop: () => Promise<void>;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
});
afterAll(() => drop());

const PASSWORD = "correct horse battery staple 42";
const users = async () => (await getPool().query(`SELECT email, role FROM app_user ORDER BY id`)).rows;

describe("first-run setup", () => {
  it("refuses a weak password before anything is written", async () => {
    expect(await isSetupNeeded()).toBe(true);
    await expect(createFirstAdmin({ email: "ada@example.com", name: "Ada", password: "password1234" })).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await users()).toEqual([]);
  });

  it("a setup submitted while another account's insert is still uncommitted waits for it, then is refused", async () => {
    const other = await getPool().connect();
    try {
      await other.query("BEGIN");
      await other.query(`INSERT INTO app_user (email, name, password_hash, role) VALUES ('early@example.com', 'Early', 'x', 'admin')`);
      const late = createFirstAdmin({ email: "late@example.com", name: "Late", password: PASSWORD }).then(
        () => "created",
        (err) => err.code,
      );
      // without the table lock, the late request would see no account (the insert is not committed) and add a second admin
      await new Promise((r) => setTimeout(r, 2_000));
      await other.query("COMMIT");
      expect(await late).toBe("CONFLICT");
    } finally {
      other.release();
    }
    expect(await users()).toEqual([{ email: "early@example.com", role: "admin" }]);
    await getPool().query("DELETE FROM app_user");
  });

  it("of several concurrent first admins exactly one is created, the others are told setup is done", async () => {
    const attempts = await Promise.allSettled(
      ["ada", "bob", "cyd", "dan"].map((n) => createFirstAdmin({ email: `${n}@example.com`, name: n, password: PASSWORD })),
    );
    const created = attempts.filter((a) => a.status === "fulfilled");
    expect(created).toHaveLength(1);
    expect(attempts.filter((a) => a.status === "rejected").map((a) => (a as PromiseRejectedResult).reason)).toEqual([
      expect.objectContaining({ code: "CONFLICT", message: SETUP_DONE_MESSAGE }),
      expect.objectContaining({ code: "CONFLICT", message: SETUP_DONE_MESSAGE }),
      expect.objectContaining({ code: "CONFLICT", message: SETUP_DONE_MESSAGE }),
    ]);
    expect(await users()).toEqual([{ email: (created[0] as PromiseFulfilledResult<{ email: string }>).value.email, role: "admin" }]);
    expect(await isSetupNeeded()).toBe(false);
  });

  it("once an account exists, setup never creates another", async () => {
    await expect(createFirstAdmin({ email: "eve@example.com", name: "Eve", password: PASSWORD })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await users()).toHaveLength(1);
  });
});
