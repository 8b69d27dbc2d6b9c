import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import { escapeLiteral } from "pg";
import { getPool } from "./pool.ts";

export type TIsolation = "read committed" | "repeatable read" | "serializable";

export type TTransactionOptions = {
  /** READ COMMITTED (PostgreSQL's default) unless stated */
  isolation?: TIsolation;
  isReadOnly?: boolean;
  /** SET LOCAL for this transaction only (e.g. planner switches), sent with BEGIN in one round trip */
  settings?: Record<string, string>;
};

/**
 * A statement that rides on BEGIN's round trip instead of taking its own: every round trip is a socket
 * write and a wake-up of PostgreSQL and of this process, and on a busy two-core machine each wake-up waits
 * its turn for a core. It is plain SQL text sent in one simple-protocol message with BEGIN, which takes no
 * parameters: values are written in with sqlLiteral, so only values the server made itself (ids, hashes),
 * never personal data, which PostgreSQL would write to its log if the statement failed.
 */
export type TRoundTripStatements = {
  /** runs right after BEGIN (and the settings); its result is `work`'s second argument */
  withBegin?: string;
};
/**
 * The transaction an idempotent request runs in (server/idempotency/run-idempotent.ts): its key row and
 * every write of the operation must commit together, so a retry either finds the key with the first
 * answer or finds neither. Operations keep calling inTransaction/queryRunner as usual and join it.
 */
const ambientTransaction = new AsyncLocalStorage<{ client: pg.PoolClient; afterCommit: TAfterCommit[] }>();

export type TAfterCommit = () => Promise<void>;

/**
 * Runs `work` with `client` (inside an open transaction) as the transaction every inTransaction call joins.
 * What `work` hands to afterCommit is pushed onto `afterCommit`, for the owner of the transaction to run
 * once it has committed.
 */
export function joinTransaction<T>(client: pg.PoolClient, work: () => Promise<T>, afterCommit: TAfterCommit[] = []): Promise<T> {
  return ambientTransaction.run({ client, afterCommit }, work);
}

/** Where a single-statement write runs: the ambient transaction when there is one, else the pool. */
export function queryRunner(): Pick<pg.Pool, "query"> {
  return ambientTransaction.getStore()?.client ?? getPool();
}

/**
 * Work for other connections (queueing a pg-boss job, a follow-up that writes the rows just written):
 * inside an idempotent request's transaction it waits until that transaction has committed — a worker
 * must not pick up a job for a row it cannot see yet, and a second connection writing a row this
 * transaction holds would wait on it forever. Outside one, it runs now.
 */
export async function afterCommit(work: TAfterCommit): Promise<void> {
  const ambient = ambientTransaction.getStore();
  if (ambient) ambient.afterCommit.push(work);
  else await work();
}

const SETTING = /^[a-z_]+$/;
const SETTING_VALUE = /^[a-z0-9_]+$/;

function beginStatement(options: TTransactionOptions): string {
  let sql = "BEGIN";
  if (options.isolation) sql += ` ISOLATION LEVEL ${options.isolation.toUpperCase()}`;
  if (options.isReadOnly) sql += " READ ONLY";
  for (const [name, value] of Object.entries(options.settings ?? {})) {
    if (!SETTING.test(name) || !SETTING_VALUE.test(value)) throw new Error(`not a plain setting: ${name} = ${value}`);
    sql += `; SET LOCAL ${name} = ${value}`;
  }
  return sql;
}

/**
 * The one way pg code runs a transaction (Prisma code uses `db().$transaction`: Prisma and pg never share
 * a connection). Runs `work` between BEGIN and COMMIT on a dedicated pool connection, or on `client`
 * when the caller holds one (a connection it keeps for a session lock, or one it has prepared); any
 * error rolls back and is rethrown. A connection whose ROLLBACK fails is destroyed, not reused. Inside
 * joinTransaction it runs in that transaction instead (work that throws then rolls back the whole
 * request); options that would change that transaction are refused there. The
 * hot paths use pg rather than Prisma's interactive transactions: at 50 concurrent moderators the
 * per-statement overhead is what decides the p95.
 */
export async function inTransaction<T>(
  work: (client: pg.PoolClient, opened: pg.QueryResult | undefined) => Promise<T>,
  options?: TTransactionOptions & TRoundTripStatements & { pool?: pg.Pool },
): Promise<T>;
export async function inTransaction<T, C extends pg.ClientBase>(
  work: (client: C, opened: pg.QueryResult | undefined) => Promise<T>,
  options: TTransactionOptions & TRoundTripStatements & { client: C },
): Promise<T>;
export async function inTransaction<T>(
  work: (client: never, opened: pg.QueryResult | undefined) => Promise<T>,
  options: TTransactionOptions & TRoundTripStatements & { client?: pg.ClientBase; pool?: pg.Pool } = {},
): Promise<T> {
  const begin = beginStatement(options);
  const ambient = options.client ? undefined : ambientTransaction.getStore()?.client;
  if (ambient) {
    if (options.isolation || options.isReadOnly || options.settings || options.pool || options.withBegin) {
      throw new Error("inTransaction: options cannot apply inside an idempotent request's transaction");
    }
    return work(ambient as never, undefined);
  }
  // the overloads tie the client's type to what `work` expects
  const run = (client: pg.ClientBase, opened: pg.QueryResult | undefined) => work(client as never, opened);
  if (options.client) return runIn(options.client, begin, run, options);
  const client = await (options.pool ?? getPool()).connect();
  let isBroken = false;
  try {
    return await runIn(client, begin, run, options, () => {
      isBroken = true;
    });
  } finally {
    client.release(isBroken);
  }
}

async function runIn<T>(
  client: pg.ClientBase,
  begin: string,
  work: (client: pg.ClientBase, opened: pg.QueryResult | undefined) => Promise<T>,
  { withBegin }: TRoundTripStatements,
  onBroken?: () => void,
): Promise<T> {
  try {
    // Inside the try: BEGIN may have run when a statement after it in the same message fails (a SET LOCAL
    // with a value PostgreSQL refuses, the withBegin statement), and the connection must not go back to
    // the pool inside that aborted transaction. A ROLLBACK after a BEGIN that failed is only a warning.
    let opened: pg.QueryResult | undefined;
    if (withBegin) opened = lastResult(await client.query(`${begin}; ${withBegin}`));
    else await client.query(begin);
    const result = await work(client, opened);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => onBroken?.());
    throw err;
  }
}

/** A simple-protocol message with several statements answers with one result each; the last is the one asked for. */
function lastResult(result: pg.QueryResult | pg.QueryResult[]): pg.QueryResult {
  return Array.isArray(result) ? result[result.length - 1] : result;
}

/**
 * A value written into SQL text, for the statement sent with BEGIN (TRoundTripStatements):
 * a string as a quoted literal (pg's escaping: quotes doubled, backslashes in an E'' literal), a whole
 * number as itself, null as NULL. Anything else is refused rather than guessed at.
 */
export function sqlLiteral(value: string | number | null): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`sqlLiteral: not a whole number: ${value}`);
    // in parentheses when negative: after a minus sign, a bare -5 would start a -- comment
    return value < 0 ? `(${value})` : String(value);
  }
  if (typeof value !== "string") throw new Error(`sqlLiteral: cannot write a ${typeof value} into SQL`);
  return escapeLiteral(value);
}
