import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * Password hashing runs on its own worker threads, each lowered to nice 10 (Linux, per thread), so the
 * kernel gives it the CPU only after request handling and PostgreSQL: a flood of sign-ins slows other
 * sign-ins, not the rest of the app. libuv's shared thread pool (the native addon's async calls) would
 * run hashes at the same priority as everything else. bcryptjs, for legacy hashes, runs there too.
 *
 * The worker is inline source (eval), so no bundler has to find a worker file; it loads the packages
 * from the project's node_modules.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const fromProject = (name) => require(require.resolve(name, { paths: [process.cwd(), __dirname] }));
try {
  const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  require("node:os").setPriority(tid, 10);
} catch {}
const argon2 = fromProject("@node-rs/argon2");
let bcrypt;
parentPort.on("message", ({ id, op, password, stored, options }) => {
  try {
    let result;
    if (op === "hash") result = argon2.hashSync(password, options);
    else if (op === "verify") result = argon2.verifySync(stored, password);
    else result = (bcrypt ??= fromProject("bcryptjs")).compareSync(password, stored);
    parentPort.postMessage({ id, result });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message || err) });
  }
});
`;

type TJob = { op: "hash"; password: string; options: object } | { op: "verify" | "bcrypt-verify"; password: string; stored: string };
type TPending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** One hash at a time per worker; at most cores − 1 workers, so one core always stays for requests. */
export const HASH_WORKERS = Math.max(1, availableParallelism() - 1);

type TSlot = { worker: Worker; pending: Map<number, TPending> };
const slots: TSlot[] = [];
let nextId = 0;

function startSlot(): TSlot {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const slot: TSlot = { worker, pending: new Map() };
  worker.on("message", ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
    const job = slot.pending.get(id);
    slot.pending.delete(id);
    if (slot.pending.size === 0) worker.unref();
    if (error !== undefined) job?.reject(new Error(error));
    else job?.resolve(result);
  });
  worker.on("error", (err) => {
    for (const job of slot.pending.values()) job.reject(err);
    slot.pending.clear();
    slots.splice(slots.indexOf(slot), 1);
  });
  // an idle hasher never keeps the process alive; one with work does (set after the listeners, which would ref it again)
  worker.unref();
  return slot;
}

/** Runs one job on a hashing worker (callers limit concurrency; see password.ts). */
export function runHashJob<T>(job: TJob): Promise<T> {
  let slot = slots.find((s) => s.pending.size === 0);
  if (!slot && slots.length < HASH_WORKERS) slots.push((slot = startSlot()));
  slot ??= slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    slot.worker.ref();
    slot.worker.postMessage({ id, ...job });
  });
}
