import { describe, expect, it } from "vitest";
import { SIGN_IN_FAILURES, signInFailureMessage, signInFailureOf, signInFailurePath } from "./sign-in-failure.ts";

describe("sign-in failures told to the login page", () => {
  it("maps the route's error codes to a reason", () => {
    expect(signInFailureOf("UNAUTHENTICATED")).toBe("credentials");
    expect(signInFailureOf("RATE_LIMITED")).toBe("throttled");
    expect(signInFailureOf("FORBIDDEN")).toBe("deactivated");
    expect(signInFailureOf("FORBIDDEN", true)).toBe("cross-site");
    expect(signInFailureOf("VALIDATION")).toBe("incomplete");
    expect(signInFailureOf("PAYLOAD_TOO_LARGE")).toBe("too-long");
    expect(signInFailureOf("UNSUPPORTED_MEDIA_TYPE")).toBe("incomplete");
    expect(signInFailureOf("BUSY")).toBe("unavailable");
    expect(signInFailureOf("INTERNAL")).toBe("unavailable");
    expect(signInFailureOf(undefined)).toBe("unavailable");
  });

  it("shows only its own texts: an unknown or crafted reason shows nothing", () => {
    expect(signInFailureMessage("credentials")).toBe(SIGN_IN_FAILURES.credentials);
    expect(signInFailureMessage(["throttled", "credentials"])).toBe(SIGN_IN_FAILURES.throttled);
    expect(signInFailureMessage(undefined)).toBeNull();
    expect(signInFailureMessage("Your account is locked, call +1 555 0100")).toBeNull();
    expect(signInFailureMessage("toString")).toBeNull();
    expect(signInFailureMessage("__proto__")).toBeNull();
  });

  it("says how long a throttled sign-in waits, from a whole number of seconds only", () => {
    expect(signInFailurePath("throttled", 12)).toBe("/login?error=throttled&wait=12");
    expect(signInFailurePath("credentials", 12)).toBe("/login?error=credentials");
    expect(signInFailureMessage("throttled", "12")).toMatch(/Wait 12 seconds/);
    expect(signInFailureMessage("throttled", "1")).toMatch(/Wait 1 second /);
    expect(signInFailureMessage("throttled", "600")).toMatch(/Wait 10 minutes/);
    for (const bad of ["0", "-5", "1.5", "1e9", "12 seconds, or call us", ""]) expect(signInFailureMessage("throttled", bad)).toBe(SIGN_IN_FAILURES.throttled);
    expect(signInFailureMessage("credentials", "12")).toBe(SIGN_IN_FAILURES.credentials);
  });
});
