import { AsyncLocalStorage } from "node:async_hooks";

/**
 * `next/server` (which every route module imports through server/http/route.ts) reads the request
 * storage that Next.js's server installs when it boots, and throws at import time without it. The web
 * server loads route modules for its fast lane in the same process, so it installs the storage first,
 * exactly as Next.js's own node-environment-baseline does (a no-op once Next.js has).
 */
const g = globalThis as { AsyncLocalStorage?: unknown };
if (typeof g.AsyncLocalStorage !== "function") g.AsyncLocalStorage = AsyncLocalStorage;
