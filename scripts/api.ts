/**
 * npm run api [-- --port N] — the machine API (POST /api/v1/classify, the Perspective-compatible
 * /v1alpha1/comments:analyze, …) as its own lean process. Stateless: run as many as you like on any
 * machines against the same DATABASE_URL, behind a load balancer (set MODLOOP_API_INSTANCES to their
 * number so per-key rate limits add up). SIGTERM/SIGINT finish requests and store what was accepted.
 * Without DATABASE_URL it attaches to a running `npm start` (which already serves the API itself).
 */
import "./lib/check-env.ts";
import { parseArgs } from "node:util";
import { closePools } from "../server/db/pool.ts";
import { startApiServer } from "../server/serving/start-api-server.ts";
import { openDatabase } from "./lib/open-database.ts";

const USAGE = "usage: npm run api -- [--port <port>] [--host <address>]   (env: DATABASE_URL, MODLOOP_API_PORT, MODLOOP_API_INSTANCES; see README)";
let parsed;
try {
  parsed = parseArgs({ options: { port: { type: "string" }, host: { type: "string" }, help: { type: "boolean", default: false } } });
} catch (err) {
  console.error(`[api] ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = parsed.values.port === undefined ? undefined : Number(parsed.values.port);
if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
  console.error(`[api] --port must be a port number, got "${parsed.values.port}"\n${USAGE}`);
  process.exit(2);
}

const database = await openDatabase({ log: (m) => console.log(`[api] ${m}`) });
const api = await startApiServer({ port, host: parsed.values.host });

let isShuttingDown = false;
async function shutdown(signal: string) {
  if (isShuttingDown) return;
  isShuttingDown = true;
  console.log(`[api] ${signal}: finishing requests and storing what was accepted`);
  await api.stop();
  await closePools();
  await database.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
