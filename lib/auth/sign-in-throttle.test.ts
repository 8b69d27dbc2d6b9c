import { describe, expect, it } from "vitest";
import { decideSignIn, globalBudgetPerWindow, slowdownMs, THROTTLE, throttleMessage, type TSignInHistory } from "./sign-in-throttle.ts";

const now = new Date("2026-12-06T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const quiet: TSignInHistory = {
  globalFailures: 0,
  addressFailures: 0,
  accountFailures: 0,
  accountLastFailureAt: null,
  pairFailures: 0,
  pairLastFailureAt: null,
  isKnownPair: false,
};

describe("slowdownMs", () => {
  it("is free up to the allowance, then doubles from one second, capped at 15 minutes", () => {
    expect([4, 5, 6, 7, 8].map((n) => slowdownMs(n, 5))).toEqual([0, 1000, 2000, 4000, 8000]);
    expect(slowdownMs(15, 5)).toBe(15 * 60_000);
    expect(slowdownMs(5000, 5)).toBe(15 * 60_000);
  });
});

describe("decideSignIn", () => {
  it("allows a quiet account", () => {
    expect(decideSignIn(quiet, now, 60)).toEqual({ isAllowed: true });
  });

  it("slows an account for unfamiliar addresses, counting from its latest failure", () => {
    const h = { ...quiet, accountFailures: 7, accountLastFailureAt: ago(1500) };
    expect(decideSignIn(h, now, 60)).toEqual({ isAllowed: false, reason: "account", retryAfterS: 3 });
    expect(decideSignIn({ ...h, accountLastFailureAt: ago(4000) }, now, 60)).toEqual({ isAllowed: true });
    expect(decideSignIn({ ...h, isKnownPair: true }, now, 60)).toEqual({ isAllowed: true });
  });

  it("slows a failing pair even when it is familiar", () => {
    const h = { ...quiet, isKnownPair: true, pairFailures: 6, pairLastFailureAt: ago(500) };
    expect(decideSignIn(h, now, 60)).toMatchObject({ isAllowed: false, reason: "pair", retryAfterS: 2 });
  });

  it("limits an address across accounts for the window, except where it is familiar", () => {
    const h = { ...quiet, addressFailures: THROTTLE.addressMaxFailures };
    expect(decideSignIn(h, now, 60)).toMatchObject({ isAllowed: false, reason: "address", retryAfterS: 900 });
    expect(decideSignIn({ ...h, addressFailures: THROTTLE.addressMaxFailures - 1 }, now, 60)).toEqual({ isAllowed: true });
    expect(decideSignIn({ ...h, isKnownPair: true }, now, 60)).toEqual({ isAllowed: true });
  });

  it("pauses unfamiliar clients once the server's failure budget is spent", () => {
    expect(decideSignIn({ ...quiet, globalFailures: 60 }, now, 60)).toMatchObject({ isAllowed: false, reason: "server" });
    expect(decideSignIn({ ...quiet, globalFailures: 59 }, now, 60)).toEqual({ isAllowed: true });
    expect(decideSignIn({ ...quiet, globalFailures: 600, isKnownPair: true }, now, 60)).toEqual({ isAllowed: true });
  });
});

describe("globalBudgetPerWindow", () => {
  it("turns a per-minute budget into one per 10 s window, at least 1", () => {
    expect(globalBudgetPerWindow(60)).toBe(10);
    expect(globalBudgetPerWindow(1)).toBe(1);
    expect(globalBudgetPerWindow(100)).toBe(17);
  });
});

describe("throttleMessage", () => {
  it("says how long to wait, in minutes past two", () => {
    expect(throttleMessage({ isAllowed: false, reason: "account", retryAfterS: 30 })).toContain("Wait 30 seconds");
    expect(throttleMessage({ isAllowed: false, reason: "account", retryAfterS: 1 })).toContain("Wait 1 second and");
    expect(throttleMessage({ isAllowed: false, reason: "pair", retryAfterS: 899 })).toContain("Wait 15 minutes");
    expect(throttleMessage({ isAllowed: false, reason: "server", retryAfterS: 60 })).toContain("where you usually sign in still works");
  });
});
