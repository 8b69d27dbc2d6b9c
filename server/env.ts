import { z } from "zod";

/** Environment, validated once. No DATABASE_URL means "run on the embedded PostgreSQL (PGlite)". */
const ZEnv = z.object({
  DATABASE_URL: z.string().url().optional(),
  MODLOOP_DATA_DIR: z.string().default(".data"),
  MODLOOP_EMBEDDED_PORT: z.coerce.number().int().positive().default(54329),
  /** run the scoring worker inside the web process (default in embedded mode) */
  MODLOOP_INPROCESS_WORKER: z.enum(["0", "1"]).optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** the address users open (https://modloop.example.com); https makes session cookies Secure and __Host- */
  MODLOOP_PUBLIC_URL: z.string().url().optional(),
  /** reverse proxies whose X-Forwarded-For is believed: addresses or CIDRs, comma- or space-separated */
  MODLOOP_TRUSTED_PROXIES: z.string().default(""),
  /** a session with no request for this long ends */
  MODLOOP_SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(120),
  /** a session ends this long after sign-in, however active */
  MODLOOP_SESSION_MAX_HOURS: z.coerce.number().int().positive().default(12),
  /** failed sign-ins per minute across the server before unfamiliar clients must wait */
  MODLOOP_SIGNIN_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(60),
});

export type TEnv = z.infer<typeof ZEnv>;

let cached: TEnv | undefined;

/** Tests that change process.env call this so the next env() reads it again. */
export function resetEnvCache(): void {
  cached = undefined;
}
export function env(): TEnv {
  if (!cached) {
    const parsed = ZEnv.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    cached = parsed.data;
  }
  return cached;
}
