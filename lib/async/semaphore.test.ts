import { afterEach, describe, expect, it, vi } from "vitest";
import { createSemaphore } from "./semaphore.ts";

/** a piece of work the test finishes by hand */
function gate<T = void>() {
  let open!: (v: T) => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}
const tick = () => new Promise((r) => setImmediate(r));

afterEach(() => vi.useRealTimers());

describe("createSemaphore", () => {
  it("runs at most `limit` at once and starts the rest first come first served", async () => {
    const s = createSemaphore({ limit: 2 });
    const started: number[] = [];
    const gates = [0, 1, 2, 3, 4].map(() => gate());
    const runs = gates.map((g, i) =>
      s.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect([s.active, s.waiting]).toEqual([2, 3]);
    gates[1].open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0].open();
    gates[2].open();
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3].open();
    gates[4].open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect([s.active, s.waiting]).toEqual([0, 0]);
  });

  it("a piece that throws gives its slot back and its caller gets the error", async () => {
    const s = createSemaphore({ limit: 1 });
    const failing = s.run(async () => {
      throw new Error("boom");
    });
    const next = s.run(async () => "ran");
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("ran");
    expect(s.active).toBe(0);
  });

  it("refuses at once beyond maxWaiting, with the caller's error, and runs nothing for it", async () => {
    const s = createSemaphore({ limit: 1, maxWaiting: 1, refuse: () => new Error("busy") });
    const hold = gate();
    const first = s.run(() => hold.promise);
    const second = s.run(async () => "second");
    const ran = vi.fn();
    await expect(s.run(async () => ran())).rejects.toThrow("busy");
    expect(ran).not.toHaveBeenCalled();
    hold.open();
    await first;
    expect(await second).toBe("second");
  });

  it("a piece that waited maxWaitMs rejects with timedOut(), leaves the line and never runs", async () => {
    vi.useFakeTimers();
    const s = createSemaphore({ limit: 1, maxWaitMs: 1000, timedOut: () => new Error("waited too long") });
    const hold = gate();
    const first = s.run(() => hold.promise);
    const ran = vi.fn();
    const late = s.run(async () => ran());
    const lateResult = expect(late).rejects.toThrow("waited too long");
    await vi.advanceTimersByTimeAsync(999);
    expect(s.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await lateResult;
    expect(s.waiting).toBe(0);
    hold.open();
    await first;
    expect(ran).not.toHaveBeenCalled();
    expect(s.active).toBe(0);
    // one that gets its slot in time runs, and its timer is cleared
    const hold2 = gate();
    const a = s.run(() => hold2.promise);
    const b = s.run(async () => "b");
    await vi.advanceTimersByTimeAsync(500);
    expect(vi.getTimerCount()).toBe(1);
    hold2.open();
    await a;
    expect(await b).toBe("b");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a caller's own maxWaitMs overrides the semaphore's for that piece only", async () => {
    vi.useFakeTimers();
    const s = createSemaphore({ limit: 1, timedOut: () => new Error("waited too long") });
    const hold = gate();
    const first = s.run(() => hold.promise);
    const impatient = s.run(async () => "impatient", { maxWaitMs: 200 });
    const patient = s.run(async () => "patient");
    const impatientResult = expect(impatient).rejects.toThrow("waited too long");
    await vi.advanceTimersByTimeAsync(200);
    await impatientResult;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.waiting).toBe(1);
    hold.open();
    await first;
    expect(await patient).toBe("patient");
  });

  it("a caller that gives up while waiting (its signal aborts) leaves the line, never runs, and its turn goes to the next", async () => {
    vi.useFakeTimers();
    const s = createSemaphore({ limit: 1, maxWaitMs: 5_000 });
    const hold = gate();
    const first = s.run(() => hold.promise);
    const gone = new AbortController();
    let ranGone = false;
    const abandoned = s.run(
      async () => {
        ranGone = true;
      },
      { signal: gone.signal },
    );
    const next = s.run(async () => "next");
    expect(s.waiting).toBe(2);
    gone.abort(new Error("client went away"));
    await expect(abandoned).rejects.toThrow("client went away");
    expect(s.waiting).toBe(1);
    hold.open();
    await first;
    expect(await next).toBe("next");
    expect(ranGone).toBe(false);
    expect([s.active, s.waiting, vi.getTimerCount()]).toEqual([0, 0, 0]); // no timer left behind either
  });

  it("an already aborted signal is refused at once, even with a free slot; an abort once running changes nothing", async () => {
    const s = createSemaphore({ limit: 1 });
    const gone = new AbortController();
    gone.abort(new Error("already gone"));
    let ran = false;
    await expect(
      s.run(
        async () => {
          ran = true;
        },
        { signal: gone.signal },
      ),
    ).rejects.toThrow("already gone");
    expect([ran, s.active]).toEqual([false, 0]);

    const late = new AbortController();
    const hold = gate();
    const running = s.run(() => hold.promise.then(() => "finished"), { signal: late.signal });
    late.abort(new Error("too late"));
    hold.open();
    expect(await running).toBe("finished");
    expect(s.active).toBe(0);
  });

  it("a waiter started from the line, or timed out, stops listening to its signal: a later abort changes nothing", async () => {
    vi.useFakeTimers();
    const s = createSemaphore({ limit: 1, timedOut: () => new Error("waited too long") });
    const hold = gate();
    const first = s.run(() => hold.promise);
    const started = new AbortController();
    const removed = vi.spyOn(started.signal, "removeEventListener");
    const second = s.run(async () => "second", { signal: started.signal });
    const timedOut = new AbortController();
    const removedTimedOut = vi.spyOn(timedOut.signal, "removeEventListener");
    const third = s.run(async () => "third", { signal: timedOut.signal, maxWaitMs: 100 });
    const thirdResult = expect(third).rejects.toThrow("waited too long");
    await vi.advanceTimersByTimeAsync(100);
    await thirdResult;
    expect(removedTimedOut).toHaveBeenCalledWith("abort", expect.any(Function));
    timedOut.abort(new Error("after the time-out"));
    hold.open();
    await first;
    expect(await second).toBe("second");
    expect(removed).toHaveBeenCalledWith("abort", expect.any(Function));
    started.abort(new Error("after it ran"));
    expect([s.active, s.waiting, vi.getTimerCount()]).toEqual([0, 0, 0]);
  });

  it("refuses a limit that is not a whole number ≥ 1", () => {
    expect(() => createSemaphore({ limit: 0 })).toThrow(/limit/);
    expect(() => createSemaphore({ limit: 1.5 })).toThrow(/limit/);
  });
});
