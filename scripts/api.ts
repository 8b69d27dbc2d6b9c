/**
 * npm run api [-- --port N] — the machine API (POST /api/v1/classify, the Perspective-compatible
 * /v1alpha1/comments:analyze, …) as its own lean process. Stateless: run as many as you like on any
 * machines against the same DATABASE_URL, behind a load balancer (set MODLOOP_API_INSTANCES to their
 * number so per-key rate limits add up). SIGTERM/SIGINT finish requests and store what was accepted.
 * Without DATABASE_URL it attaches to a running `npm start` (which already serves the API itself).
 */
import "./lib/check-env.ts";
import "./lib/survive-closed-output.ts";
import { closePools } from "../server/db/pool.ts";
import { startApiServer } from "../server/serving/start-api-server.ts";
import { parseCli, type TCli } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const parsed = parseCli({
  script: "api",
  usage: "[options]",
  summary:
    "The machine API (POST /api/v1/classify, the Perspective-compatible /v1alpha1/comments:analyze, …) as its own process. Stateless: " +
    "run several behind a load balancer against the same DATABASE_URL. SIGTERM/SIGINT finish requests and store what was accepted.",
  options: {
    port: { type: "string", value: "<port>", description: "port to serve on (default: $MODLOOP_API_PORT, else 3001)" },
    host: { type: "string", value: "<address>", description: "address to listen on (default: all)" },
  },
  examples: ["npm run api -- --port 3001", "MODLOOP_API_INSTANCES=4 DATABASE_URL=postgresql://modloop@db/modloop npm run api"],
  notes: ["Environment: DATABASE_URL, MODLOOP_API_PORT, MODLOOP_API_INSTANCES and the other MODLOOP_API_* rows of the README's Configuration table."],
});
const fail: TCli["fail"] = parsed.fail;
const port = parsed.values.port === undefined ? undefined : Number(parsed.values.port);
if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) fail(`--port must be a port number, got "${parsed.values.port}"`);

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
