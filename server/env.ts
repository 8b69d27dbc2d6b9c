import { z } from "zod";

/** Environment, validated once. No DATABASE_URL means "run on the embedded PostgreSQL (PGlite)". */
const ZEnv = z.object({
  DATABASE_URL: z.string().url().optional(),
  MODLOOP_DATA_DIR: z.string().default(".data"),
  MODLOOP_EMBEDDED_PORT: z.coerce.number().int().positive().default(54329),
  /** run the scoring worker inside the web process (default in embedded mode) */
  MODLOOP_INPROCESS_WORKER: z.enum(["0", "1"]).optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type TEnv = z.infer<typeof ZEnv>;

let cached: TEnv | undefined;
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
