import "./next-environment.ts";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { installPeerAddressStamp } from "../auth/peer-address.ts";
import { fastLaneMatcher, serveFastLane, type TFastRoute } from "../http/fast-lane.ts";

export type TWebServer = { server: http.Server; port: number; close: () => Promise<void> };

type THeaderRule = { source: string; headers: { key: string; value: string }[] };

/**
 * The production web server: Next.js's request handler (pages, every API route) behind a node:http
 * server that first offers each request to the fast lane (server/http/fast-lane.ts) — the queue's hot
 * routes, run through their own route modules without Next.js's router. No fast routes (or
 * MODLOOP_FAST_LANE=0 in scripts/web.ts) serves everything through Next.js, as `next start` does.
 */
export async function startWebServer(opts: {
  dir: string;
  port: number;
  hostname?: string;
  /** the fast lane's routes, loaded once Next.js is prepared (their modules import next/server) */
  loadFastRoutes: () => Promise<TFastRoute[]>;
}): Promise<TWebServer> {
  installPeerAddressStamp();
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: opts.dir, hostname: opts.hostname ?? "localhost", port: opts.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer(
    webRequestListener({
      fastRoutes: await opts.loadFastRoutes(),
      fallback: (req, res) => void handle(req, res),
      origin: `http://localhost:${opts.port}`,
      fixedHeaders: await apiHeaders(opts.dir),
    }),
  );
  // Idle keep-alive sockets are kept longer than the load balancers and proxies in front usually keep
  // theirs (60 s is common): with node's 5 s default, a proxy that reused a socket just as this server
  // closed it got "socket hang up" and answered 502 (twice in the fault suite's 50-moderator run, through
  // its proxy). headersTimeout must stay above it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.hostname, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    server,
    port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await app.close();
    },
  };
}

/** Each request to the fast lane when it serves the path and method, else to `fallback` (Next.js). */
export function webRequestListener(opts: {
  fastRoutes: TFastRoute[];
  fallback: http.RequestListener;
  origin: string;
  fixedHeaders: [string, string][];
}): http.RequestListener {
  const match = fastLaneMatcher(opts.fastRoutes);
  return (req, res) => {
    const found = match(req.method ?? "GET", req.url ?? "/");
    if (found) void serveFastLane(found, req, res, { origin: opts.origin, fixedHeaders: opts.fixedHeaders });
    else opts.fallback(req, res);
  };
}

/** The headers next.config.js gives every /api response (one source for both lanes). */
export async function apiHeaders(dir: string): Promise<[string, string][]> {
  const config = (await import(pathToFileURL(path.join(dir, "next.config.js")).href)).default as { headers?: () => Promise<THeaderRule[]> };
  const rules = (await config.headers?.()) ?? [];
  return rules
    .filter((r) => r.source === "/:path*" || r.source === "/api/:path*")
    .flatMap((r) => r.headers.map((h) => [h.key.toLowerCase(), h.value] as [string, string]));
}
