import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors.ts";
import { parseIdempotencyKey } from "@/lib/http/idempotency-key.ts";
import { isUniqueViolation } from "../db/pg-errors.ts";
import { inTransaction, joinTransaction, sqlLiteral, type TAfterCommit } from "../db/transaction.ts";

export type TIdempotencyScope = {
  userId: number;
  /** null for an instance-level write (creating an account) */
  workspaceId: number | null;
  /** the Idempotency-Key header as sent; absent = the request is not idempotent (older clients, scripts) */
  key: string | null | undefined;
  /** names the operation, so one key cannot be replayed against another route */
  operation: string;
  /** the operation's input: a retry must send the same, else 409 */
  request: unknown;
  /**
   * the answer holds a secret shown once (a new API key, a webhook's signing secret): it is stored
   * sealed with a key derived from the Idempotency-Key, which the table does not hold (only its hash),
   * so the stored answer is readable by the client that retries and by nobody reading the database
   */
  isAnswerSecret?: boolean;
  /**
   * a streamed body's sha256 (uploads: too large to parse up front, so not in `request`): awaited after
   * `work` has read the body, and on a replay after the retry's body has been read through, so the same
   * key with another file is refused too
   */
  bodyDigest?: () => Promise<string>;
};

type TStoredRow = { operation: string; request_hash: string; response: unknown };

/**
 * Runs a state-changing operation at most once per Idempotency-Key. The key row is inserted first, in
 * the operation's own transaction (every inTransaction/queryRunner inside `work` joins it):
 *  - a retry after the commit (the response was lost) conflicts on the primary key and gets the stored
 *    first answer, nothing written;
 *  - a concurrent duplicate waits for the first one's uncommitted key (a moment at a time, letting its
 *    connection go in between), then either reads its committed answer or, if the first rolled back (an
 *    error is never stored), runs itself;
 *  - the same key with a different request is refused, as a client bug.
 * The database enforces it (a primary key), not a read-then-write. Work for other connections (pg-boss
 * jobs) goes through afterCommit and runs once the transaction has committed, never on a replay.
 * Writes that cannot join (an import's chunks on their own connections) commit on their own: if the
 * process dies between them and the key's commit, a retry runs them again, so such an operation must
 * be safe to repeat by itself (imports skip rows already stored).
 */
export async function runIdempotent<T>(scope: TIdempotencyScope, work: () => Promise<T>): Promise<T> {
  const key = parseIdempotencyKey(scope.key);
  if (key === null) return work();
  // A duplicate whose first request is still running must not wait on it while holding a pool connection:
  // the first one's own queries (an import's chunks, a promotion's gold-set reads) need connections too, so
  // as many duplicates as the pool holds froze every request of the process. Each try waits for the first
  // one's key at most KEY_LOCK_WAIT, then lets its connection go and tries again a little later.
  const deadline = Date.now() + KEY_IN_FLIGHT_MAX_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await runOnce(scope, key, work);
    } catch (err) {
      if (!(err instanceof KeyInFlight)) throw err;
      if (Date.now() >= deadline) {
        throw new AppError("CONFLICT", "The first request with this Idempotency-Key is still running; retry it in a moment to get its answer.");
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
    }
  }
}

/**
 * The key row as an operation writes it itself, in its own statement (see runIdempotentInline): the
 * same table, key hash and request hash as runIdempotent's, so a retry finds it whichever path wrote it.
 */
export type TInlineKey = { userId: number; workspaceId: number | null; storedKey: string; operation: string; requestHash: string };

/**
 * runIdempotent for an operation that is one SQL statement and stores its key row (with its answer) in
 * that same statement: the queue's decision, sent with every keypress, then takes one round trip
 * instead of a transaction's three. `work` gets the key row to insert (null when the request carries no
 * key) and must insert it only when the operation succeeds, with no ON CONFLICT: a key already stored
 * (an earlier attempt committed) makes the whole statement fail on the primary key and change nothing,
 * and the request is then answered as runIdempotent answers a retry (the stored answer, or 409 for a
 * different request). A duplicate still in flight cannot slip past: both lock the same rows first, so
 * the second runs after the first has committed its key. Answers that hold a secret or a streamed body
 * go through runIdempotent.
 */
export async function runIdempotentInline<T>(scope: TIdempotencyScope, work: (key: TInlineKey | null) => Promise<T>): Promise<T> {
  if (scope.isAnswerSecret || scope.bodyDigest) throw new Error("runIdempotentInline: sealed answers and streamed bodies go through runIdempotent");
  const key = parseIdempotencyKey(scope.key);
  if (key === null) return work(null);
  const inline: TInlineKey = {
    userId: scope.userId,
    workspaceId: scope.workspaceId,
    storedKey: sha256(key),
    operation: scope.operation,
    requestHash: requestHashOf(scope, key),
  };
  try {
    return await work(inline);
  } catch (err) {
    if (!isAnsweredAsRetry(err)) throw err;
    // the stored answer (or the 409 for a different request) as for any retry; with no key stored, the
    // operation runs again inside runIdempotent's transaction and refuses again, storing nothing
    return runIdempotent(scope, () => work(null));
  }
}

/**
 * Failures of an inline-keyed operation that an earlier attempt with the same key may have answered:
 *  - the key is stored already (the statement failed on the primary key): a retry after the commit;
 *  - the operation refused (not found, invalid, conflict): what it checks may have changed since an
 *    earlier attempt succeeded (a category deactivated after the first decision), and the client must get
 *    that first answer, not a refusal of what it already did;
 *  - PostgreSQL ended a deadlock with a duplicate going through runIdempotent (mixed versions in a deploy).
 */
function isAnsweredAsRetry(err: unknown): boolean {
  if (isUniqueViolation(err)) return isKeyAlreadyStored(err);
  if (err instanceof AppError) return err.code === "NOT_FOUND" || err.code === "VALIDATION" || err.code === "CONFLICT";
  return (err as { code?: unknown } | null)?.code === DEADLOCK_DETECTED;
}

/** An inline-keyed statement failed because an earlier attempt with the same key stored it (and committed). */
export function isKeyAlreadyStored(err: unknown): boolean {
  return isUniqueViolation(err) && (err as { constraint?: string }).constraint === "idempotent_request_pkey";
}

/** PostgreSQL's deadlock_detected. */
const DEADLOCK_DETECTED = "40P01";

/** How long one try waits on a duplicate's uncommitted key while holding its connection. */
const KEY_LOCK_WAIT = "200"; // milliseconds (lock_timeout's unit)
/** How long a duplicate keeps trying before it answers 409 (a large import may run for a minute). */
const KEY_IN_FLIGHT_MAX_MS = 180_000;

class KeyInFlight extends Error {}

async function runOnce<T>(scope: TIdempotencyScope, key: string, work: () => Promise<T>): Promise<T> {
  // keyed by the Idempotency-Key, which the table does not hold: a request that carries a password (a new
  // account) is not left as a plain hash that a reader of the table could test guesses against
  const requestHash = requestHashOf(scope, key);
  // the key is stored hashed: a sealed answer must not sit next to the key that opens it
  const storedKey = sha256(key);
  const afterCommit: TAfterCommit[] = [];
  // The key row goes in with BEGIN, in its round trip. Every value written into that SQL is made here:
  // whole numbers, hex digests and the route's operation name, each through sqlLiteral.
  // RETURNING runs once the row is in: the operation's own statements then wait for locks as usual.
  const insertKey = `INSERT INTO idempotent_request (user_id, key, workspace_id, operation, request_hash)
    VALUES (${sqlLiteral(scope.userId)}, ${sqlLiteral(storedKey)}, ${sqlLiteral(scope.workspaceId)}, ${sqlLiteral(scope.operation)}, ${sqlLiteral(requestHash)})
    ON CONFLICT (user_id, key) DO NOTHING
    RETURNING set_config('lock_timeout', (SELECT reset_val FROM pg_settings WHERE name = 'lock_timeout'), true)`;
  let outcome: { result: T; isReplay: boolean };
  let isKeyStatementDone = false;
  try {
    outcome = await inTransaction(
      async (client, inserted) => {
        isKeyStatementDone = true;
        if (inserted?.rowCount === 0) {
          // a new statement: READ COMMITTED sees the row whose commit the INSERT waited for
          const { rows } = await client.query<TStoredRow>(`SELECT operation, request_hash, response FROM idempotent_request WHERE user_id = $1 AND key = $2`, [
            scope.userId,
            storedKey,
          ]);
          const stored = rows[0];
          if (!stored || stored.operation !== scope.operation || stored.request_hash !== (await withBodyDigest(requestHash, scope))) {
            throw new AppError("CONFLICT", "This Idempotency-Key was already used for a different request; send a new key for a new action.");
          }
          return { result: openAnswer(stored.response, key, scope.userId) as T, isReplay: true };
        }
        const result = await joinTransaction(client, work, afterCommit);
        const answer = scope.isAnswerSecret ? sealAnswer(result ?? null, key, scope.userId) : (result ?? null);
        // a parameter, not SQL text: an answer may hold personal data (a new account's email), and
        // PostgreSQL writes a failing statement's text to its log, never its parameters (by default)
        await client.query(`UPDATE idempotent_request SET response = $3::jsonb, request_hash = $4 WHERE user_id = $1 AND key = $2`, [
          scope.userId,
          storedKey,
          JSON.stringify(answer),
          await withBodyDigest(requestHash, scope),
        ]);
        return { result, isReplay: false };
      },
      { settings: { lock_timeout: KEY_LOCK_WAIT }, withBegin: insertKey },
    );
  } catch (err) {
    // the key statement waited out KEY_LOCK_WAIT on a duplicate's uncommitted key (the operation's own
    // statements run with the normal lock_timeout again, and their errors are theirs)
    if (!isKeyStatementDone && (err as { code?: string }).code === LOCK_NOT_AVAILABLE) throw new KeyInFlight();
    throw err;
  }
  // follow-ups for other connections (jobs, notifications) once the rows they need are visible; a
  // replay does not repeat them
  if (!outcome.isReplay) for (const followUp of afterCommit) await followUp();
  return outcome.result;
}

function requestHashOf(scope: TIdempotencyScope, key: string): string {
  return createHmac("sha256", key)
    .update(JSON.stringify(scope.request ?? null))
    .digest("hex");
}

/** The request's hash with its streamed body's digest, when it has one (the row's hash until then is never seen: uncommitted). */
async function withBodyDigest(requestHash: string, scope: TIdempotencyScope): Promise<string> {
  return scope.bodyDigest ? sha256(`${requestHash} ${await scope.bodyDigest()}`) : requestHash;
}

/** PostgreSQL's lock_not_available: lock_timeout ran out. */
const LOCK_NOT_AVAILABLE = "55P03";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

type TSealed = { $sealed: string };

function answerKey(idempotencyKey: string, userId: number): Buffer {
  return Buffer.from(hkdfSync("sha256", idempotencyKey, `modloop user ${userId}`, "idempotent answer", 32));
}

/** AES-256-GCM: iv (12) + tag (16) + ciphertext, base64. */
function sealAnswer(answer: unknown, idempotencyKey: string, userId: number): TSealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", answerKey(idempotencyKey, userId), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(answer), "utf8"), cipher.final()]);
  return { $sealed: Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64") };
}

function openAnswer(stored: unknown, idempotencyKey: string, userId: number): unknown {
  if (stored === null || typeof stored !== "object" || typeof (stored as TSealed).$sealed !== "string") return stored;
  const bytes = Buffer.from((stored as TSealed).$sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", answerKey(idempotencyKey, userId), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8"));
}

/** Deletes keys older than `olderThanHours` (a client retries for seconds, not days). */
export async function pruneIdempotentRequests({ olderThanHours = 24 }: { olderThanHours?: number } = {}): Promise<{ deleted: number }> {
  return inTransaction(async (client) => {
    const { rowCount } = await client.query(`DELETE FROM idempotent_request WHERE created_at < now() - make_interval(hours => $1)`, [olderThanHours]);
    return { deleted: rowCount ?? 0 };
  });
}
