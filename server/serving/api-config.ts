import { env, type TEnv } from "../env.ts";

/**
 * The machine API's settings (README, Configuration), validated with the rest of the environment in
 * server/env.ts. Everything has a default: `npm run api` needs only DATABASE_URL.
 */
export type TApiConfig = Pick<
  TEnv,
  | "MODLOOP_API_PORT"
  | "MODLOOP_API_INSTANCES"
  | "MODLOOP_API_MAX_BODY_BYTES"
  | "MODLOOP_API_MAX_PERSPECTIVE_BODY_BYTES"
  | "MODLOOP_API_CACHE_MS"
  | "MODLOOP_API_STORE_FLUSH_MS"
  | "MODLOOP_API_STORE_MAX_PENDING"
  | "MODLOOP_PUBLIC_API_URL"
>;

export function apiConfig(overrides: Partial<TApiConfig> = {}): TApiConfig {
  const e = env();
  return {
    MODLOOP_API_PORT: e.MODLOOP_API_PORT,
    MODLOOP_API_INSTANCES: e.MODLOOP_API_INSTANCES,
    MODLOOP_API_MAX_BODY_BYTES: e.MODLOOP_API_MAX_BODY_BYTES,
    MODLOOP_API_MAX_PERSPECTIVE_BODY_BYTES: e.MODLOOP_API_MAX_PERSPECTIVE_BODY_BYTES,
    MODLOOP_API_CACHE_MS: e.MODLOOP_API_CACHE_MS,
    MODLOOP_API_STORE_FLUSH_MS: e.MODLOOP_API_STORE_FLUSH_MS,
    MODLOOP_API_STORE_MAX_PENDING: e.MODLOOP_API_STORE_MAX_PENDING,
    MODLOOP_PUBLIC_API_URL: e.MODLOOP_PUBLIC_API_URL,
    ...overrides,
  };
}
