/**
 * Sign-in throttling, decided from counts of earlier password checks (server/auth/sign-in.ts reads them).
 *
 * Three things an attacker may try, and what stops each:
 * - guessing one account's password from many addresses → the account slows down exponentially
 *   (1 s, 2 s, 4 s … up to 15 min between tries) for every client that has not signed in to that
 *   account from its address before;
 * - trying many accounts from one address → a limit per address;
 * - a botnet spreading guesses over many accounts and addresses → a budget of failed sign-ins per
 *   minute for the whole server, past which unfamiliar clients wait.
 * None of them can lock the owner out where they usually sign in: a client address that signed in
 * to the account within KNOWN_PAIR_DAYS is exempt from the account slowdown, the address limit and
 * the server budget, and is only slowed by its own failures on that account.
 */
export const THROTTLE = {
  /** failures of one account before it slows down (from addresses not known for it) */
  accountFreeFailures: 5,
  accountWindowMs: 24 * 3600_000,
  /** failures of one account from one address before that pair slows down */
  pairFreeFailures: 5,
  pairWindowMs: 15 * 60_000,
  /** failures from one address, any accounts, before it must wait for the window */
  addressMaxFailures: 20,
  addressWindowMs: 15 * 60_000,
  /**
   * The server-wide budget is counted over 10 s (a sixth of the per-minute figure), not a minute: a
   * flood then gets at most a few password checks before the pause, instead of a minute's worth in
   * its first seconds (each check is ~30 ms of a core).
   */
  globalWindowMs: 10_000,
  firstDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  knownPairDays: 30,
} as const;

export type TSignInHistory = {
  /** failed checks across the server within globalWindowMs */
  globalFailures: number;
  /** failed checks from this address within addressWindowMs */
  addressFailures: number;
  /** failed checks for this email within accountWindowMs, and the latest */
  accountFailures: number;
  accountLastFailureAt: Date | null;
  /** failed checks for this email from this address within pairWindowMs, and the latest */
  pairFailures: number;
  pairLastFailureAt: Date | null;
  /** this address signed in to this email within knownPairDays */
  isKnownPair: boolean;
};

export type TThrottleDecision = { isAllowed: true } | { isAllowed: false; reason: "server" | "address" | "account" | "pair"; retryAfterS: number };

/** The wait after `failures` failures when the first `free` are free: 1 s, 2 s, 4 s … capped. */
export function slowdownMs(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(THROTTLE.maxDelayMs, THROTTLE.firstDelayMs * 2 ** Math.min(failures - free, 30));
}

const refuse = (reason: "server" | "address" | "account" | "pair", waitMs: number): TThrottleDecision => ({
  isAllowed: false,
  reason,
  retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)),
});

/** MODLOOP_SIGNIN_FAILURES_PER_MINUTE as failures per globalWindowMs. */
export function globalBudgetPerWindow(failuresPerMinute: number): number {
  return Math.max(1, Math.ceil((failuresPerMinute * THROTTLE.globalWindowMs) / 60_000));
}

/**
 * Whether to check this password at all. A refusal never depends on whether the account exists.
 * globalBudget: failed checks allowed across the server per globalWindowMs.
 */
export function decideSignIn(history: TSignInHistory, now: Date, globalBudget: number): TThrottleDecision {
  const pairWait = remainingWait(history.pairLastFailureAt, slowdownMs(history.pairFailures, THROTTLE.pairFreeFailures), now);
  if (pairWait > 0) return refuse("pair", pairWait);
  if (history.isKnownPair) return { isAllowed: true };
  if (history.globalFailures >= globalBudget) return refuse("server", THROTTLE.globalWindowMs);
  if (history.addressFailures >= THROTTLE.addressMaxFailures) return refuse("address", THROTTLE.addressWindowMs);
  const accountWait = remainingWait(history.accountLastFailureAt, slowdownMs(history.accountFailures, THROTTLE.accountFreeFailures), now);
  if (accountWait > 0) return refuse("account", accountWait);
  return { isAllowed: true };
}

function remainingWait(last: Date | null, delayMs: number, now: Date): number {
  if (!last || delayMs === 0) return 0;
  return last.getTime() + delayMs - now.getTime();
}

/** A wait in words: seconds up to two minutes, then whole minutes. */
export function formatWait(seconds: number): string {
  return seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : seconds === 1 ? "1 second" : `${seconds} seconds`;
}

/** What the person is told; the same words whether or not the account exists. */
export function throttleMessage(decision: Extract<TThrottleDecision, { isAllowed: false }>): string {
  const wait = formatWait(decision.retryAfterS);
  if (decision.reason === "server") {
    return `Sign-in is paused for unfamiliar devices because of many failed attempts on this server. Try again in ${wait}; sign-in from where you usually sign in still works.`;
  }
  return `Too many failed sign-in attempts. Wait ${wait} and try again, or ask an admin to reset your password.`;
}
