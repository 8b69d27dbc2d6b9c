import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "../env.ts";
import { queueGate } from "./queue-gate.ts";

const KEY = Symbol.for("modloop.queueGate");
const holder = globalThis as unknown as Record<symbol, unknown>;

afterEach(() => {
  delete holder[KEY];
  delete process.env.MODLOOP_QUEUE_CONCURRENCY;
  delete process.env.MODLOOP_POOL_MAX;
  resetEnvCache();
});

describe("queueGate", () => {
  it("is one gate per process, shared by every copy of the module (kept on globalThis)", async () => {
    const gate = queueGate();
    expect(queueGate()).toBe(gate);
    expect(holder[KEY]).toBe(gate);
  });

  it("defaults to 2 × cores but never more than half the pool (a keyed decision takes two connections)", () => {
    process.env.MODLOOP_POOL_MAX = "5";
    resetEnvCache();
    expect(queueGate().limit).toBeLessThanOrEqual(2);
    expect(queueGate().limit).toBeGreaterThanOrEqual(1);
  });

  it("MODLOOP_QUEUE_CONCURRENCY sets it", () => {
    process.env.MODLOOP_QUEUE_CONCURRENCY = "7";
    resetEnvCache();
    expect(queueGate().limit).toBe(7);
  });
});
