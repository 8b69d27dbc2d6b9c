import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.ts";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..");

describe("parseEnv", () => {
  it("gives every default when nothing is set (nothing is required)", () => {
    const e = parseEnv({});
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.PORT).toBe(3000);
    expect(e.MODLOOP_POOL_MAX).toBe(10);
    expect(e.MODLOOP_API_MAX_BODY_BYTES).toBe(4 * 1024 * 1024);
    expect(e.MODLOOP_WEBHOOK_RETRY_DELAY_S).toBe(30);
  });

  it("coerces numbers and treats an empty value as unset", () => {
    const e = parseEnv({ MODLOOP_POOL_MAX: "30", MODLOOP_PUBLIC_URL: "", MODLOOP_API_CACHE_MS: "0" });
    expect(e.MODLOOP_POOL_MAX).toBe(30);
    expect(e.MODLOOP_PUBLIC_URL).toBeUndefined();
    expect(e.MODLOOP_API_CACHE_MS).toBe(0);
  });

  it("names every invalid variable at once, with the value it got", () => {
    let error: unknown;
    try {
      parseEnv({ MODLOOP_POOL_MAX: "lots", MODLOOP_PUBLIC_URL: "modloop.example.com", MODLOOP_INPROCESS_WORKER: "yes", PORT: "70000" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EnvError);
    const { problems, message } = error as EnvError;
    expect(problems).toHaveLength(4);
    expect(message).toMatch(/MODLOOP_POOL_MAX: .*\(got "lots"\)/);
    expect(message).toMatch(/MODLOOP_PUBLIC_URL: .*\(got "modloop.example.com"\)/);
    expect(message).toMatch(/MODLOOP_INPROCESS_WORKER: .*\(got "yes"\)/);
    expect(message).toMatch(/PORT: .*\(got "70000"\)/);
    expect(message).toContain("README, Configuration");
  });

  it("never repeats DATABASE_URL's value (it may hold a password)", () => {
    expect(() => parseEnv({ DATABASE_URL: "not a url with s3cret" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ DATABASE_URL: "not a url with s3cret" })).not.toThrow(/s3cret/);
  });

  it("rejects out-of-range settings the code used to turn into NaN or 0", () => {
    expect(() => parseEnv({ MODLOOP_WORKER_CONCURRENCY: "0" })).toThrow(/MODLOOP_WORKER_CONCURRENCY/);
    expect(() => parseEnv({ MODLOOP_WEBHOOK_TIMEOUT_MS: "50" })).toThrow(/MODLOOP_WEBHOOK_TIMEOUT_MS/);
    expect(() => parseEnv({ MODLOOP_DB_KIND: "sqlite" })).toThrow(/MODLOOP_DB_KIND/);
  });
});

// Every entry point in scripts/ (found on disk, so a new script without the check fails here) stops before
// doing anything when a variable is invalid: exit status 1 and a message naming the variable.
describe.concurrent("every script validates the environment at start", () => {
  const scripts = readdirSync(path.join(ROOT, "scripts")).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

  it.each(scripts)(
    "scripts/%s",
    async (script) => {
      const result = await run(process.execPath, ["--import", "tsx", path.join("scripts", script)], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: "", MODLOOP_POOL_MAX: "lots", MODLOOP_DATA_DIR: "/nonexistent/modloop-env-test" },
        timeout: 60_000,
      }).then(
        () => ({ code: 0, stderr: "" }),
        (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
      );
      expect(result.code).toBe(1);
      // the start-up check's own message, not a stack trace from wherever the value was first used
      expect(result.stderr).toMatch(new RegExp(`^\\[${script.replace(".ts", "")}\\] Invalid environment`));
      expect(result.stderr).toMatch(/MODLOOP_POOL_MAX: .*\(got "lots"\)/);
    },
    90_000,
  );
});
