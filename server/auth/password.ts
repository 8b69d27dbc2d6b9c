import type { Options as TArgon2Options } from "@node-rs/argon2";
import { normalisePassword } from "@/lib/auth/normalise-password.ts";
import { createSemaphore } from "@/lib/async/semaphore.ts";
import { AppError } from "@/lib/errors.ts";
import { HASH_WORKERS, runHashJob } from "./hash-worker-pool.ts";

// argon2id with OWASP's first listed setting (19 MiB, 2 passes, 1 lane): ~20–40 ms here, computed on a
// low-priority worker thread (hash-worker-pool.ts), so the event loop keeps serving other requests.
// (2 is Algorithm.Argon2id: the package declares it as a const enum, which isolated modules cannot read)
const ARGON2_OPTIONS: TArgon2Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * At most this many hashes run at once in this process; the rest wait in a short line. With 2 cores a
 * flood of sign-ins can then take at most one core away from everybody else's requests, and the
 * memory held by hashing stays below a few × 19 MiB.
 */
const MAX_CONCURRENT_HASHES = HASH_WORKERS;
/** Beyond this many waiting, a sign-in is refused as "busy" rather than queued behind an attack. */
const MAX_WAITING_HASHES = 32;

const hashing = createSemaphore({
  limit: MAX_CONCURRENT_HASHES,
  maxWaiting: MAX_WAITING_HASHES,
  refuse: () => new AppError("RATE_LIMITED", "The server is busy checking other sign-ins. Wait a few seconds and try again.", { retryAfterS: 2 }),
});
const withHashSlot = <T>(work: () => Promise<T>): Promise<T> => hashing.run(work);

export function hashPassword(plain: string): Promise<string> {
  return withHashSlot(() => runHashJob<string>({ op: "hash", password: normalisePassword(plain), options: ARGON2_OPTIONS }));
}

/** bcrypt hashes written before argon2id: still accepted, and replaced on the next successful sign-in. */
export function isLegacyHash(stored: string): boolean {
  return /^\$2[aby]\$/.test(stored);
}

/**
 * Checks a password against a stored argon2id hash, or a legacy bcrypt one (which only ever compared the
 * first 72 bytes; sign-in replaces it with an argon2id hash of exactly what was typed).
 */
export function verifyPassword(plain: string, stored: string): Promise<boolean> {
  return withHashSlot(async () => {
    try {
      if (isLegacyHash(stored)) return await runHashJob<boolean>({ op: "bcrypt-verify", password: plain, stored });
      return await runHashJob<boolean>({ op: "verify", password: normalisePassword(plain), stored });
    } catch {
      return false; // an unreadable hash never matches
    }
  });
}
