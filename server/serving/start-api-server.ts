import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AppError } from "@/lib/errors.ts";
import { apiKeyFromRequest, type TApiScope } from "@/lib/serving/api-key.ts";
import { buildDiscoveryDocument, DISCOVERY_PATH } from "@/lib/serving/discovery.ts";
import { buildOpenApi, OPENAPI_PATH } from "@/lib/serving/openapi.ts";
import { requireDatabaseUrl } from "../db/pool.ts";
import { analyzeComment } from "./analyze-comment.ts";
import { ApiKeyCache, type TApiPrincipal } from "./api-key-cache.ts";
import { apiConfig, type TApiConfig } from "./api-config.ts";
import { BatchScorer } from "./batch-scorer.ts";
import { classifyTexts } from "./classify-texts.ts";
import { parseJson, readBody, sendError, sendJson, type TErrorShape } from "./http-io.ts";
import { listDecisions } from "./list-decisions.ts";
import { LiveStore } from "./live-store.ts";
import { ServingContextCache } from "./serving-context.ts";
import { listenForServingChanges, type TServingNotifications } from "./serving-notifications.ts";
import type { TServingServices } from "./serving-services.ts";
import { suggestCommentScore } from "./suggest-comment-score.ts";

type TRequestContext = { services: TServingServices; principal: TApiPrincipal; body: unknown; query: Record<string, string>; receivedAt: Date };

type TRoute = {
  method: "GET" | "POST";
  scope: TApiScope;
  shape: TErrorShape;
  bodyLimit?: number;
  handler: (ctx: TRequestContext) => Promise<unknown>;
};

export type TApiServer = {
  url: string;
  port: number;
  services: TServingServices;
  /** stops accepting, finishes requests in flight, flushes the live store (SIGTERM) */
  stop: (opts?: { timeoutMs?: number }) => Promise<void>;
};

const LAST_USED_FLUSH_MS = 60_000;
const WORKSPACE_PREFIX = /^\/w\/([a-z0-9][a-z0-9-]{0,62})(\/.*)$/;

/**
 * The machine API: a plain Node `http` server (no framework; see README, "Connect your game", for why),
 * sharing server/ and lib/ with the app. Stateless apart from caches and the live store's buffer, so any
 * number run behind a load balancer on the same DATABASE_URL.
 *
 *   POST /api/v1/classify                 scope classify (+ ingest to store)
 *   GET  /api/v1/decisions                scope decisions:read
 *   POST /v1alpha1/comments:analyze       scope classify (+ ingest to store)     Perspective-compatible
 *   POST /v1alpha1/comments:suggestscore  scope ingest                           Perspective-compatible
 *   GET  /api/v1/openapi.json, /api/v1/health, /$discovery/rest (for Google's client libraries)
 * Every path also answers under /w/<workspace>/…, where the key must belong to that workspace.
 */
export async function startApiServer(
  options: { port?: number; host?: string; config?: Partial<TApiConfig>; log?: (m: string) => void } = {},
): Promise<TApiServer> {
  const config = apiConfig(options.config);
  const log = options.log ?? ((m: string) => console.log(`[api] ${m}`));
  const keys = new ApiKeyCache({ ttlMs: config.MODLOOP_API_CACHE_MS, instances: config.MODLOOP_API_INSTANCES });
  const contexts = new ServingContextCache({ ttlMs: config.MODLOOP_API_CACHE_MS });
  const store = new LiveStore({
    flushMs: config.MODLOOP_API_STORE_FLUSH_MS,
    maxPending: config.MODLOOP_API_STORE_MAX_PENDING,
    settingsFor: async (workspaceId) => {
      const c = await contexts.get(workspaceId);
      return { rankSettings: c.rankSettings, overlapShare: c.overlapShare };
    },
    log,
  });
  const services: TServingServices = { keys, contexts, scorer: new BatchScorer({ maxInFlight: 2, maxBatch: 4096 }), store };
  const notifications: TServingNotifications = listenForServingChanges({
    connectionString: requireDatabaseUrl(),
    onChange: (payload) => {
      if (payload.startsWith("ws:")) contexts.invalidate(Number(payload.slice(3)));
      else if (payload.startsWith("key:")) keys.invalidate(payload.slice(4));
    },
    onReconnect: () => {
      contexts.invalidateAll();
      keys.clear();
    },
    log,
  });
  const lastUsedTimer = setInterval(() => keys.flushLastUsed().catch((err: Error) => log(`last-used times not written: ${err.message}`)), LAST_USED_FLUSH_MS);
  lastUsedTimer.unref();

  let openApiCache: string | null = null;
  let port = 0;
  const routes: Record<string, TRoute> = {
    "/api/v1/classify": { method: "POST", scope: "classify", shape: "modloop", bodyLimit: config.MODLOOP_API_MAX_BODY_BYTES, handler: classifyTexts },
    "/api/v1/decisions": { method: "GET", scope: "decisions:read", shape: "modloop", handler: listDecisions },
    "/v1alpha1/comments:analyze": {
      method: "POST",
      scope: "classify",
      shape: "google",
      bodyLimit: config.MODLOOP_API_MAX_PERSPECTIVE_BODY_BYTES,
      handler: analyzeComment,
    },
    "/v1alpha1/comments:suggestscore": {
      method: "POST",
      scope: "ingest",
      shape: "google",
      bodyLimit: config.MODLOOP_API_MAX_PERSPECTIVE_BODY_BYTES,
      handler: async (ctx) => (await suggestCommentScore(ctx)).response,
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const receivedAt = new Date();
    const url = new URL(req.url ?? "/", "http://api.invalid");
    let path = url.pathname;
    let workspaceSlug: string | undefined;
    const scoped = WORKSPACE_PREFIX.exec(path);
    if (scoped) {
      workspaceSlug = scoped[1];
      path = scoped[2];
    }
    const shape: TErrorShape = path.startsWith("/v1alpha1/") ? "google" : "modloop";
    try {
      if (path === OPENAPI_PATH && req.method === "GET") {
        openApiCache ??= JSON.stringify(buildOpenApi({ serverUrl: config.MODLOOP_PUBLIC_API_URL }));
        res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=300" });
        res.end(openApiCache);
        return;
      }
      if (path === DISCOVERY_PATH && req.method === "GET") {
        // Google's client libraries build their Perspective methods from this (see lib/serving/discovery.ts)
        const rootUrl = `${config.MODLOOP_PUBLIC_API_URL?.replace(/\/$/, "") ?? `http://${req.headers.host ?? `127.0.0.1:${port}`}`}/`;
        sendJson(res, 200, buildDiscoveryDocument({ rootUrl, servicePath: workspaceSlug ? `w/${workspaceSlug}/` : "" }));
        return;
      }
      if (path === "/api/v1/health" && req.method === "GET") {
        sendJson(res, 200, { isOk: true, isListening: notifications.isListening(), store: store.getStats() });
        return;
      }
      const route = routes[path];
      if (!route) throw new AppError("NOT_FOUND", `There is no ${path} here; see ${OPENAPI_PATH} for the endpoints.`);
      if (req.method !== route.method) {
        res.setHeader("allow", route.method);
        throw new AppError("NOT_FOUND", `${path} answers ${route.method} only.`);
      }
      // The key first: an unauthenticated caller learns nothing, and its body is never read.
      const principal = await keys.authenticate(apiKeyFromRequest(req.headers.authorization, url.searchParams.get("key")), route.scope, workspaceSlug);
      const body = route.method === "POST" ? parseJson(await readBody(req, route.bodyLimit ?? config.MODLOOP_API_MAX_BODY_BYTES)) : undefined;
      const query = Object.fromEntries([...url.searchParams].filter(([k]) => k !== "key"));
      const result = await route.handler({ services, principal, body, query, receivedAt });
      sendJson(res, 200, result);
    } catch (err) {
      const isBodyUnread = req.method === "POST" && !req.readableEnded;
      sendError(res, err, shape, { closeConnection: isBodyUnread });
      // an unread (or partly read) body must not be parsed as the next request on this connection
      if (isBodyUnread) res.once("finish", () => req.socket.destroySoon?.() ?? req.socket.end());
    }
  };

  const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 30_000, headersTimeout: 20_000 }, (req, res) => void handle(req, res));
  const wantedPort = options.port ?? config.MODLOOP_API_PORT;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(wantedPort, options.host ?? "0.0.0.0", () => resolve());
    });
  } catch (err) {
    await store.stop(0);
    clearInterval(lastUsedTimer);
    await notifications.stop();
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new Error(`Port ${wantedPort} is taken, so the machine API cannot start there: set MODLOOP_API_PORT (or --port) to a free port.`);
    throw err;
  }
  port = (server.address() as AddressInfo).port;
  log(`machine API on http://${options.host ?? "0.0.0.0"}:${port} (OpenAPI at ${OPENAPI_PATH})`);

  let isStopping = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    services,
    stop: async ({ timeoutMs = 15_000 } = {}) => {
      if (isStopping) return;
      isStopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, timeoutMs))]);
      server.closeAllConnections();
      const left = await store.stop(timeoutMs);
      if (left > 0) log(`${left} classified texts could not be stored before shutdown`);
      clearInterval(lastUsedTimer);
      await keys.flushLastUsed().catch(() => 0);
      await notifications.stop();
    },
  };
}
