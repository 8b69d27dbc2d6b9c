import { afterAll, describe, expect, it } from "vitest";
import { GET as getCategories } from "@/app/api/w/[workspace]/categories/route.ts";
import { closePools, getPool, isDatabaseUnreachable } from "./pool.ts";

/**
 * A request that finds the database gone (a restart, a failover) answers 503 UNAVAILABLE with
 * Retry-After — the browser's fetcher and API clients retry those — not a 500 that reads as a bug. The
 * fault suite's PostgreSQL restarts saw "decision 500" for the second they lasted.
 */

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("isDatabaseUnreachable", () => {
  it("recognises a database that went away or is not taking connections yet", () => {
    expect(isDatabaseUnreachable(withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnreachable(withCode("terminating connection due to administrator command", "57P01"))).toBe(true);
    expect(isDatabaseUnreachable(withCode("the database system is starting up", "57P03"))).toBe(true);
    expect(isDatabaseUnreachable(withCode("connection failure", "08006"))).toBe(true);
    expect(isDatabaseUnreachable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnreachable(new AggregateError([withCode("refused", "ECONNREFUSED")], "every address refused"))).toBe(true);
    expect(isDatabaseUnreachable(Object.assign(new Error("prisma: query failed"), { cause: withCode("reset", "ECONNRESET") }))).toBe(true);
  });

  it("leaves the statement's own errors alone", () => {
    expect(isDatabaseUnreachable(withCode('syntax error at or near "SELEC"', "42601"))).toBe(false);
    expect(isDatabaseUnreachable(withCode("duplicate key value violates unique constraint", "23505"))).toBe(false);
    expect(isDatabaseUnreachable(withCode("canceling statement due to statement timeout", "57014"))).toBe(false);
    expect(isDatabaseUnreachable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnreachable("Connection terminated unexpectedly")).toBe(false);
  });
});

describe("a route when the database is unreachable", () => {
  const saved = process.env.DATABASE_URL;
  afterAll(async () => {
    process.env.DATABASE_URL = saved;
    await closePools();
  });

  it("answers 503 UNAVAILABLE with Retry-After, not 500", async () => {
    // nothing listens on port 9: every connection attempt is refused, as during a restart
    process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:9/none";
    await expect(getPool().query("SELECT 1")).rejects.toThrow();
    const res = await getCategories(new Request("http://modloop.test/api/w/any/categories", { headers: { cookie: "modloop_session=whatever" } }), {
      params: Promise.resolve({ workspace: "any" }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNAVAILABLE");
  });
});
