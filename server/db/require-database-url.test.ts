import { afterEach, describe, expect, it } from "vitest";
import { requireDatabaseUrl } from "./pool.ts";

/**
 * requireDatabaseUrl runs for every query (getPool's default argument), so it validates DATABASE_URL only
 * when it changes: a change is still seen at the next call, and a broken or missing value still refused.
 */

const original = process.env.DATABASE_URL;
afterEach(() => {
  process.env.DATABASE_URL = original;
});

describe("requireDatabaseUrl", () => {
  it("follows DATABASE_URL as it changes and refuses an invalid or missing one", () => {
    process.env.DATABASE_URL = "postgresql://a@127.0.0.1:5432/one";
    expect(requireDatabaseUrl()).toBe("postgresql://a@127.0.0.1:5432/one");
    expect(requireDatabaseUrl()).toBe("postgresql://a@127.0.0.1:5432/one");
    process.env.DATABASE_URL = "postgresql://a@127.0.0.1:5432/two";
    expect(requireDatabaseUrl()).toBe("postgresql://a@127.0.0.1:5432/two");
    process.env.DATABASE_URL = "not a url";
    expect(() => requireDatabaseUrl()).toThrow(/DATABASE_URL/);
    delete process.env.DATABASE_URL;
    expect(() => requireDatabaseUrl()).toThrow(/DATABASE_URL is not set/);
  });
});
