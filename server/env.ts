import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65535);
const count = (min: number) => z.coerce.number().int().min(min);
const flag = z.enum(["0", "1"]);

/**
 * Every environment variable the app, the worker, the machine API and the scripts read (README,
 * Configuration): one schema, so a typo'd or out-of-range value stops the process at start with a
 * message naming the variable instead of surfacing as NaN somewhere later. No DATABASE_URL means
 * "run on the embedded PostgreSQL (PGlite)". An empty value counts as unset.
 * (Test and benchmark tooling — TEST_PG_URL, E2E_*, BENCH_* — is read by the harnesses, not here.)
 */
const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  /** set by the scripts when they serve the embedded database: its limits (no COPY FROM STDIN, one session) */
  MODLOOP_DB_KIND: z.enum(["pglite", "postgres"]).optional(),
  PORT: port.default(3000),
  MODLOOP_DATA_DIR: z.string().default(".data"),
  MODLOOP_EMBEDDED_PORT: port.default(54329),
  /** run the background worker inside `npm start` (default in embedded mode) */
  MODLOOP_INPROCESS_WORKER: flag.optional(),
  /** scoring jobs one `npm run worker` runs in parallel */
  MODLOOP_WORKER_CONCURRENCY: count(1).default(1),
  /** connections per process for queries / for the job queue */
  MODLOOP_POOL_MAX: count(1).default(10),
  MODLOOP_BOSS_POOL_MAX: count(1).default(4),
  /** idle pool connections close after this long (0 = never) */
  MODLOOP_POOL_IDLE_MS: count(0).default(10_000),
  /** how long a query waits for a free pool connection before its request answers 503 (0 = forever) */
  MODLOOP_POOL_WAIT_MS: count(0).default(30_000),
  /** review-queue requests (claim, decide, undo, progress) one process runs at once; default 2 × CPU cores (server/queue/queue-gate.ts) */
  MODLOOP_QUEUE_CONCURRENCY: count(1).optional(),
  /** where dataset snapshots are written; default $MODLOOP_DATA_DIR/snapshots */
  MODLOOP_EXPORT_DIR: z.string().optional(),
  /** the address users open (https://modloop.example.com); https makes session cookies Secure and __Host- */
  MODLOOP_PUBLIC_URL: z.string().url().optional(),
  /** reverse proxies whose X-Forwarded-For is believed: addresses or CIDRs, comma- or space-separated */
  MODLOOP_TRUSTED_PROXIES: z.string().default(""),
  /** a session with no request for this long ends */
  MODLOOP_SESSION_IDLE_MINUTES: count(1).default(120),
  /** a session ends this long after sign-in, however active */
  MODLOOP_SESSION_MAX_HOURS: count(1).default(12),
  /** failed sign-ins per minute across the server before unfamiliar clients must wait */
  MODLOOP_SIGNIN_FAILURES_PER_MINUTE: count(1).default(60),
  /** "0" serves queue cards without the words that drove the suggestion (server/queue/explain-cards.ts) */
  MODLOOP_QUEUE_HIGHLIGHTS: flag.default("1"),
  /** "0" serves the queue's hot routes through Next.js's router too (server/http/fast-lane.ts), for comparisons */
  MODLOOP_FAST_LANE: flag.default("1"),
  /** the machine API (server/serving) */
  MODLOOP_API_PORT: port.default(3001),
  MODLOOP_INPROCESS_API: flag.optional(),
  /** API processes behind the load balancer: each enforces 1/N of a key's rate limit */
  MODLOOP_API_INSTANCES: count(1).default(1),
  /** largest /api/v1 request body (1,000 texts of chat with metadata are ~0.3 MB) */
  MODLOOP_API_MAX_BODY_BYTES: count(1).default(4 * 1024 * 1024),
  /** largest Perspective request body (one comment of at most 20,000 characters, plus context) */
  MODLOOP_API_MAX_PERSPECTIVE_BODY_BYTES: count(1).default(512 * 1024),
  /** how long a key or a workspace's settings are trusted without a change notification */
  MODLOOP_API_CACHE_MS: count(0).default(5000),
  /** live store: flush at least this often … */
  MODLOOP_API_STORE_FLUSH_MS: count(1).default(20),
  /** … and hold at most this many acknowledged, unwritten texts (requests wait beyond it): the most a hard kill loses */
  MODLOOP_API_STORE_MAX_PENDING: count(1).default(10_000),
  /** base URL clients use (OpenAPI `servers`, the Perspective discovery document); default: the request's own host */
  MODLOOP_PUBLIC_API_URL: z.string().url().optional(),
  /** "1" allows http://127.0.0.1 / localhost webhook URLs (development and tests); otherwise https only */
  MODLOOP_WEBHOOK_ALLOW_HTTP_LOCALHOST: flag.optional(),
  /** first webhook retry after this many seconds (to twice that), doubling each time */
  MODLOOP_WEBHOOK_RETRY_DELAY_S: z.coerce.number().min(1).default(30),
  MODLOOP_WEBHOOK_RETRY_LIMIT: count(0).default(12),
  MODLOOP_WEBHOOK_TIMEOUT_MS: z.coerce.number().min(100).default(10_000),
});

export type TEnv = z.infer<typeof ZEnv>;

const KEYS = Object.keys(ZEnv.shape) as (keyof TEnv)[];
// Values that may carry a password are never repeated in an error message.
const SECRET_KEYS = new Set<string>(["DATABASE_URL"]);

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment (see README, Configuration):\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** The environment checked against the schema; every problem at once, each naming its variable. */
export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const raw: Record<string, string> = {};
  for (const key of KEYS) {
    const value = source[key];
    if (value !== undefined && value !== "") raw[key] = value;
  }
  const parsed = ZEnv.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new EnvError(
    parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      const shown = SECRET_KEYS.has(key) ? "" : ` (got ${JSON.stringify(raw[key])})`;
      return `${key}: ${issue.message}${shown}`;
    }),
  );
}

/**
 * The validated environment, read afresh on every call (~30 µs: each process.env lookup crosses into
 * C++). For start-up and cold paths — pools, the job queue, webhooks, exports, the machine API's
 * settings — whose variables change at runtime: the scripts set DATABASE_URL and MODLOOP_DB_KIND once
 * they have opened the embedded database, and tests set variables per file.
 */
export function env(): TEnv {
  return parseEnv(process.env);
}

let cached: TEnv | undefined;

/**
 * The same, parsed once per process: for per-request paths (sessions, sign-in throttling), whose
 * variables nothing changes while the server runs. Tests that change them call resetEnvCache().
 */
export function cachedEnv(): TEnv {
  cached ??= env();
  return cached;
}

/** Tests that change process.env call this so the next cachedEnv() reads it again. */
export function resetEnvCache(): void {
  cached = undefined;
}

/**
 * For entry points (the Next.js server, the worker, every script): stop at start, before any work,
 * when a variable is invalid. Prints the message and exits with status 1.
 */
export function exitOnInvalidEnv(tag: string): void {
  try {
    env();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(`[${tag}] ${err.message}`);
    process.exit(1);
  }
}
