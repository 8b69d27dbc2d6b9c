/**
 * npm run web [-- --port N] — the web server of a production build: Next.js (pages and every API
 * route) with the queue's hot routes on a fast lane beside it (server/web/start-web-server.ts). `npm
 * start` runs it as its child; run more of them on any machines against the same DATABASE_URL behind
 * a load balancer. Needs `next build` first (npm start does that) and DATABASE_URL.
 */
import "./lib/check-env.ts";
import "./lib/survive-closed-output.ts";
import path from "node:path";
import { closePools } from "../server/db/pool.ts";
import { env } from "../server/env.ts";
import { startWebServer } from "../server/web/start-web-server.ts";
import { parseCli, type TCli } from "./lib/cli.ts";

const parsed = parseCli({
  script: "web",
  usage: "[options]",
  summary:
    "The web server of a production build (run `next build` first; `npm start` does both): Next.js, with the review queue's hot routes " +
    "served on a fast lane beside it. Stateless: run several behind a load balancer against the same DATABASE_URL.",
  options: {
    port: { type: "string", value: "<port>", description: "port to serve on (default: $PORT, else 3000)" },
    hostname: { type: "string", value: "<address>", description: "address to listen on (default: all)" },
  },
  examples: ["npm run web -- --port 3000", "DATABASE_URL=postgresql://modloop@db/modloop npm run web"],
  notes: ["Environment: DATABASE_URL, MODLOOP_FAST_LANE and the other rows of the README's Configuration table."],
});
const fail: TCli["fail"] = parsed.fail;
const port = Number(parsed.values.port ?? env().PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, got "${parsed.values.port}"`);
if (!env().DATABASE_URL) fail("DATABASE_URL is not set: `npm start` sets it for its web server; set it when you run this one yourself");

const isFastLaneOn = env().MODLOOP_FAST_LANE !== "0";
const web = await startWebServer({
  dir: path.resolve(import.meta.dirname, ".."),
  port,
  hostname: parsed.values.hostname,
  loadFastRoutes: async () => (isFastLaneOn ? (await import("../app/api/fast-lane-routes.ts")).FAST_LANE_ROUTES : []),
});
console.log(`[web] serving on http://${parsed.values.hostname ?? "localhost"}:${web.port} (queue fast lane ${isFastLaneOn ? "on" : "off"})`);

let isShuttingDown = false;
async function shutdown(signal: string) {
  if (isShuttingDown) return;
  isShuttingDown = true;
  console.log(`[web] ${signal}: finishing requests`);
  await Promise.race([web.close(), new Promise((r) => setTimeout(r, 10_000))]);
  await closePools();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
