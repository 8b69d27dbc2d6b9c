import { lockForTransaction } from "../db/advisory-lock.ts";
import { decideSignIn, globalBudgetPerWindow, THROTTLE, throttleMessage, type TSignInHistory } from "@/lib/auth/sign-in-throttle.ts";
import { AppError } from "@/lib/errors.ts";
import type pg from "pg";
import { getPool } from "../db/pool.ts";
import { cachedEnv } from "../env.ts";
import { inTransaction } from "../db/transaction.ts";
import { hashPassword, isLegacyHash, verifyPassword } from "./password.ts";
import { newSessionToken } from "./session.ts";
import type { TSessionUser } from "./roles.ts";

// An argon2id hash of a random string, made once: unknown emails still pay for one full check, so
// the response time does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword(crypto.randomUUID()));

/** address: the client as the server sees it (server/auth/client-address.ts), never a header as sent. */
type TSignInOptions = { email: string; password: string; address: string };

/** The counts decideSignIn needs, in one round trip (each part answered by its own index). */
async function readSignInHistory(client: pg.Pool | pg.PoolClient, email: string, address: string): Promise<TSignInHistory> {
  const { rows } = await client.query<{
    global_failures: number;
    address_failures: number;
    account_failures: number;
    account_last: Date | null;
    pair_failures: number;
    pair_last: Date | null;
    is_known_pair: boolean;
  }>(
    `SELECT
       (SELECT count(*)::int FROM login_attempt
         WHERE attempted_at > now() - make_interval(secs => $3) AND NOT is_success) AS global_failures,
       (SELECT count(*)::int FROM login_attempt
         WHERE address = $2 AND attempted_at > now() - make_interval(secs => $4) AND NOT is_success) AS address_failures,
       a.n AS account_failures, a.last AS account_last, p.n AS pair_failures, p.last AS pair_last,
       EXISTS (SELECT 1 FROM login_attempt
         WHERE email = $1 AND address = $2 AND is_success AND attempted_at > now() - make_interval(days => $7)) AS is_known_pair
     FROM (SELECT count(*)::int AS n, max(attempted_at) AS last FROM login_attempt
            WHERE email = $1 AND attempted_at > now() - make_interval(secs => $5) AND NOT is_success) a,
          (SELECT count(*)::int AS n, max(attempted_at) AS last FROM login_attempt
            WHERE email = $1 AND address = $2 AND attempted_at > now() - make_interval(secs => $6) AND NOT is_success) p`,
    [
      email,
      address,
      THROTTLE.globalWindowMs / 1000,
      THROTTLE.addressWindowMs / 1000,
      THROTTLE.accountWindowMs / 1000,
      THROTTLE.pairWindowMs / 1000,
      THROTTLE.knownPairDays,
    ],
  );
  const r = rows[0]!;
  return {
    globalFailures: r.global_failures,
    addressFailures: r.address_failures,
    accountFailures: r.account_failures,
    accountLastFailureAt: r.account_last,
    pairFailures: r.pair_failures,
    pairLastFailureAt: r.pair_last,
    isKnownPair: r.is_known_pair,
  };
}

/**
 * Password sign-in, throttled by account, by client address and across the server
 * (lib/auth/sign-in-throttle.ts). A refused attempt is answered before any password work. The
 * attempt is recorded as a failure before the password is checked, so parallel guesses see each
 * other; a success turns it into a success. A legacy bcrypt hash is replaced by argon2id here.
 */
export async function signIn({ email, password, address }: TSignInOptions): Promise<{ user: TSessionUser; token: string; expiresAt: Date }> {
  const pool = getPool();
  const normalisedEmail = email.trim().toLowerCase();
  const budget = globalBudgetPerWindow(cachedEnv().MODLOOP_SIGNIN_FAILURES_PER_MINUTE);
  // A refusal is decided from one read, without a transaction: under a flood most attempts end here.
  const refusal = decideSignIn(await readSignInHistory(pool, normalisedEmail, address), new Date(), budget);
  if (!refusal.isAllowed) throw new AppError("RATE_LIMITED", throttleMessage(refusal), { retryAfterS: refusal.retryAfterS });
  // The account is read beside the recording transaction (one round trip fewer on the way to the first
  // page), and used only if that transaction allows the attempt too.
  const account = findAccount(pool, normalisedEmail);
  account.catch(() => {}); // awaited below unless refused; a refusal must not leave it unhandled
  // Then decide again and record under a per-email lock: twenty parallel guesses are decided one after
  // another, each seeing the ones before it, instead of all reading "no failures yet" at once.
  const attemptId = await inTransaction(async (client) => {
    await lockForTransaction(client, `modloop.sign-in:${normalisedEmail}`);
    const decision = decideSignIn(await readSignInHistory(client, normalisedEmail, address), new Date(), budget);
    if (!decision.isAllowed) throw new AppError("RATE_LIMITED", throttleMessage(decision), { retryAfterS: decision.retryAfterS });
    const { rows } = await client.query<{ id: string }>("INSERT INTO login_attempt (email, address, is_success) VALUES ($1, $2, false) RETURNING id", [
      normalisedEmail,
      address,
    ]);
    return rows[0]!.id;
  });

  const user = await account;
  const isMatch = await verifyPassword(password, user?.password_hash ?? (await getDummyHash()));
  if (!user || !isMatch) throw new AppError("UNAUTHENTICATED", "Email or password is wrong. Check both and try again.");
  // A deactivated account with the right password stays a failure: it must not make the pair "known".
  if (!user.is_active) throw new AppError("FORBIDDEN", "This account is deactivated. Ask an admin to reactivate it.");
  if (isLegacyHash(user.password_hash)) {
    // only if nobody changed the password meanwhile
    await pool.query("UPDATE app_user SET password_hash = $3 WHERE id = $1 AND password_hash = $2", [
      user.id,
      user.password_hash,
      await hashPassword(password),
    ]);
  }
  // the attempt becomes a success and the session is created in one statement: both or neither
  const session = newSessionToken();
  await pool.query(
    `WITH success AS (UPDATE login_attempt SET is_success = true WHERE id = $1)
     INSERT INTO session (id, user_id, expires_at) VALUES ($2, $3, $4)`,
    [attemptId, session.id, user.id, session.expiresAt],
  );
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role, isSenior: user.is_senior },
    token: session.token,
    expiresAt: session.expiresAt,
  };
}

type TAccountRow = { id: number; email: string; name: string; role: TSessionUser["role"]; is_active: boolean; is_senior: boolean; password_hash: string };

async function findAccount(pool: pg.Pool, email: string): Promise<TAccountRow | undefined> {
  const { rows } = await pool.query<TAccountRow>("SELECT id, email, name, role, is_active, is_senior, password_hash FROM app_user WHERE email = $1", [email]);
  return rows[0];
}
