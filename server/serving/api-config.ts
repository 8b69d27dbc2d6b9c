import { z } from "zod";

/**
 * The machine API's settings, read once per process from the environment (README, Configuration).
 * Everything has a default: `npm run api` needs only DATABASE_URL.
 */
const ZApiConfig = z.object({
  MODLOOP_API_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  /** API processes behind the load balancer: each enforces 1/N of a key's rate limit */
  MODLOOP_API_INSTANCES: z.coerce.number().int().min(1).default(1),
  /** largest /api/v1 request body (1,000 texts of chat with metadata are ~0.3 MB) */
  MODLOOP_API_MAX_BODY_BYTES: z.coerce.number().int().positive().default(4 * 1024 * 1024),
  /** largest Perspective request body (one comment of at most 20,000 characters, plus context) */
  MODLOOP_API_MAX_PERSPECTIVE_BODY_BYTES: z.coerce.number().int().positive().default(512 * 1024),
  /** how long a key or a workspace's settings are trusted without a change notification */
  MODLOOP_API_CACHE_MS: z.coerce.number().int().min(0).default(5000),
  /** live store: flush at least this often … */
  MODLOOP_API_STORE_FLUSH_MS: z.coerce.number().int().min(1).default(20),
  /** … and hold at most this many acknowledged, unwritten texts (requests wait beyond it): the most a hard kill loses */
  MODLOOP_API_STORE_MAX_PENDING: z.coerce.number().int().min(1).default(10_000),
  /** base URL clients use (OpenAPI `servers`, the Perspective discovery document); default: the request's own host */
  MODLOOP_PUBLIC_API_URL: z.string().url().optional(),
});

export type TApiConfig = z.infer<typeof ZApiConfig>;

export function apiConfig(overrides: Partial<TApiConfig> = {}): TApiConfig {
  const parsed = ZApiConfig.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid API settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return { ...parsed.data, ...overrides };
}
