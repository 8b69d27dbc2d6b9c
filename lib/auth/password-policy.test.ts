import { describe, expect, it } from "vitest";
import { assertPasswordPolicy, checkPasswordPolicy, ZNewPassword } from "./password-policy.ts";

const problem = (p: string, inputs: string[] = []) => {
  const r = checkPasswordPolicy(p, inputs);
  return r.isAcceptable ? null : r.problem;
};

describe("checkPasswordPolicy", () => {
  // Finding 6: "password", "12345678" and eight spaces were accepted.
  it("refuses what the security review found accepted", () => {
    expect(problem("password")).toMatch(/at least 12 characters/);
    expect(problem("12345678")).toMatch(/at least 12 characters/);
    expect(problem("        ")).toMatch(/at least 12 characters/);
    expect(problem(" ".repeat(16))).toMatch(/only spaces|Repeated/);
  });

  it("refuses long but common or patterned passwords", () => {
    for (const p of ["password1234", "123456789012", "qwertyuiopasdf", "aaaaaaaaaaaaaaaa", "abcdefghijklmnop", "iloveyou2024!", "P@ssw0rd12345"]) {
      expect(problem(p), p).not.toBeNull();
    }
  });

  it("refuses passwords made of the person's own details or the site's name", () => {
    expect(problem("ada.lovelace1815", ["ada.lovelace@x.test", "Ada Lovelace"])).not.toBeNull();
    expect(problem("Modloop-2026-modloop")).toMatch(/this site's name/);
    expect(problem("bob-smith-bob-smith", ["bob@x.test", "Bob Smith"])).toMatch(/your name, your email/);
  });

  it("accepts passphrases and random passwords, up to 256 characters, in any script", () => {
    let seed = 7;
    const random = Array.from(
      { length: 250 },
      () => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%&*+-=?@^_~"[(seed = (seed * 48271) % 2147483647) % 75],
    ).join("");
    for (const p of ["correct horse battery staple", "mK8#pq2Lz!vW", "quiet-otter-drums-lantern", "водопад-кирпич-сова-лампа", random]) {
      expect(problem(p), p).toBeNull();
    }
    expect(problem("a1".repeat(129))).toMatch(/at most 256/);
  });

  it("counts characters after NFKC normalisation, not UTF-16 units", () => {
    expect(problem("🐙🐙🐙🐙🐙🐙")).toMatch(/at least 12 characters \(this has 6\)/);
  });
});

describe("ZNewPassword and assertPasswordPolicy", () => {
  it("report the problem under the field's name", () => {
    const parsed = ZNewPassword.safeParse("short");
    expect(parsed.success).toBe(false);
    expect(() => assertPasswordPolicy("bob-smith-bob-smith", ["bob@x.test", "Bob Smith"], "newPassword")).toThrow(/^body\.newPassword: Most of this password/);
  });
});
