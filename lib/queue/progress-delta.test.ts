import { describe, expect, it } from "vitest";
import { shownProgress, type TProgressCount } from "./progress-delta.ts";
import type { TProgress } from "./types.ts";

const count = (decidedToday: number, remaining: number, localDeltaAtRequest: number): TProgressCount => ({ decidedToday, remaining, localDeltaAtRequest });

describe("shownProgress", () => {
  it("shows the server's counts when they include every local change", () => {
    expect(shownProgress(count(7, 40, 0), 0)).toEqual({ decidedToday: 7, remaining: 40 });
    expect(shownProgress(count(7, 40, 5), 5)).toEqual({ decidedToday: 7, remaining: 40 });
    expect(shownProgress(count(7, 40, -2), -2)).toEqual({ decidedToday: 7, remaining: 40 });
  });

  it("adds the changes keyed after the count was requested: decided up, remaining down", () => {
    expect(shownProgress(count(7, 40, 0), 3)).toEqual({ decidedToday: 10, remaining: 37 });
    expect(shownProgress(count(7, 40, 3), 4)).toEqual({ decidedToday: 8, remaining: 39 });
    // undos since (the total went down): decided down, remaining up
    expect(shownProgress(count(7, 40, 3), 1)).toEqual({ decidedToday: 5, remaining: 42 });
  });

  it("the reported case: a count requested before Enter and answered after it, then U, reads 0, not -1", () => {
    const requestedOnLoad = count(0, 50, 0); // the page's first count, requested before any key
    expect(shownProgress(requestedOnLoad, 1)).toEqual({ decidedToday: 1, remaining: 49 }); // Enter, then the answer
    expect(shownProgress(requestedOnLoad, 0)).toEqual({ decidedToday: 0, remaining: 50 }); // U
    // the old rule dropped the local delta on every answer: 0 + (1 − 1 after the reset) = −1
  });

  it("never shows a figure below zero", () => {
    expect(shownProgress(count(0, 0, 2), 0)).toEqual({ decidedToday: 0, remaining: 2 });
    expect(shownProgress(count(1, 0, 0), 3)).toEqual({ decidedToday: 4, remaining: 0 });
  });
});

/**
 * The review queue's protocol against a model server, over random interleavings: decisions and undos are
 * keyed (+1/−1 on the local delta) and sent one at a time through an outbox; each is answered saved or
 * failed (a failure withdraws its change, a failed decision can be retried, undoing one is local only); a
 * count is requested only once the outbox is empty, with the local delta of that moment, read by the
 * server then (or, with `overtake`, some steps later) and answered later still. The truth it is checked
 * against: what the server will hold once everything in flight is answered, counting each unanswered
 * change as keyed.
 */
type TEntry = { status: "pending" | "saved" | "failed" };
type TChange = { delta: 1 | -1; willFail: boolean; entry: TEntry };
type TCheck = { shown: TProgress; truth: TProgress; slack: number };

function simulate(seed: number, steps: number, { overtake }: { overtake: boolean }): TCheck[] {
  let state = seed;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const server = { decidedToday: 0, remaining: 1000 }; // more open items than the steps can decide
  const outbox: TChange[] = [];
  const entries: TEntry[] = [];
  let localDelta = 0;
  let inFlight: { localDeltaAtRequest: number; read: TProgress | null; commitsBeforeRead: number } | undefined;
  // the count on screen, and how many changes keyed after its request were committed before it was read
  let shown: { count: TProgressCount; slack: number } | undefined;
  const checks: TCheck[] = [];

  const send = (delta: 1 | -1, entry: TEntry) => {
    localDelta += delta;
    outbox.push({ delta, willFail: random() < 0.15, entry });
  };
  const truth = (): TProgress => {
    const pending = outbox.reduce((sum, change) => sum + change.delta, 0);
    return { decidedToday: server.decidedToday + pending, remaining: server.remaining - pending };
  };

  for (let step = 0; step < steps; step++) {
    const r = random();
    const failed = entries.findLast((e) => e.status === "failed");
    if (r < 0.3) {
      const entry: TEntry = { status: "pending" };
      entries.push(entry);
      send(1, entry);
    } else if (r < 0.42 && entries.length > 0) {
      const entry = entries.pop()!;
      if (entry.status !== "failed") {
        // a decision undone while still in flight is kept from failing: the server's undo would then
        // reverse an earlier decision, which is the undo endpoint's business, not the progress line's
        for (const change of outbox) if (change.entry === entry) change.willFail = false;
        send(-1, entry);
      }
    } else if (r < 0.45 && failed) {
      failed.status = "pending";
      send(1, failed);
    } else if (r < 0.72 && outbox.length > 0) {
      const change = outbox.shift()!;
      if (change.willFail) {
        localDelta -= change.delta;
        if (change.delta === 1) change.entry.status = "failed";
      } else {
        server.decidedToday += change.delta;
        server.remaining -= change.delta;
        if (change.delta === 1) change.entry.status = "saved";
        if (inFlight && !inFlight.read) inFlight.commitsBeforeRead++;
      }
    } else if (r < 0.82 && !inFlight && outbox.length === 0) {
      inFlight = { localDeltaAtRequest: localDelta, read: overtake ? null : { ...server }, commitsBeforeRead: 0 };
    } else if (r < 0.9 && inFlight && !inFlight.read) {
      inFlight.read = { ...server };
    } else if (inFlight?.read) {
      shown = { count: { ...inFlight.read, localDeltaAtRequest: inFlight.localDeltaAtRequest }, slack: inFlight.commitsBeforeRead };
      inFlight = undefined;
    }
    if (shown) checks.push({ shown: shownProgress(shown.count, localDelta), truth: truth(), slack: shown.slack });
  }
  return checks;
}

describe("the review queue's progress protocol", () => {
  it("shows exactly what the server will hold, after every step of 300 random interleavings", () => {
    const checks = Array.from({ length: 300 }, (_, i) => simulate(i + 1, 300, { overtake: false }).map((check) => ({ seed: i + 1, ...check }))).flat();
    expect(checks.length).toBeGreaterThan(50_000);
    expect(checks.filter((c) => c.shown.decidedToday !== c.truth.decidedToday || c.shown.remaining !== c.truth.remaining)).toEqual([]);
  });

  it("is off only by changes committed between a count's request and its read, by at most those, and never below zero", () => {
    const checks = Array.from({ length: 300 }, (_, i) => simulate(i + 1, 300, { overtake: true }).map((check) => ({ seed: i + 1, ...check }))).flat();
    const offBy = (c: TCheck) => Math.max(Math.abs(c.shown.decidedToday - c.truth.decidedToday), Math.abs(c.shown.remaining - c.truth.remaining));
    expect(checks.filter((c) => offBy(c) > c.slack || c.shown.decidedToday < 0 || c.shown.remaining < 0)).toEqual([]);
    // the simulation does reach that case
    expect(checks.filter((c) => offBy(c) > 0).length).toBeGreaterThan(0);
  });
});
