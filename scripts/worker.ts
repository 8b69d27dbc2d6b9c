/**
 * npm run worker [-- --concurrency N] — a background worker: scores new excerpts, trains models,
 * rebuilds queues. Run as many as you like on as many machines as you like, all on the same
 * DATABASE_URL; pg-boss gives each job to one of them. SIGTERM/SIGINT finish running jobs first.
 */
import "./lib/check-env.ts";
import { parseArgs } from "node:util";
import { closePools } from "../server/db/pool.ts";
import { startWorker } from "../server/jobs/worker.ts";
import { openDatabase } from "./lib/open-database.ts";
import { env } from "../server/env.ts";

const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: String(env().MODLOOP_WORKER_CONCURRENCY) },
    "shutdown-timeout": { type: "string", default: "30" },
  },
});
const concurrency = Number(values.concurrency);
const shutdownTimeoutMs = Number(values["shutdown-timeout"]) * 1000;
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`[worker] --concurrency must be a positive whole number, got "${values.concurrency}"`);
  process.exit(2);
}

const database = await openDatabase({ log: (m) => console.log(`[worker] ${m}`) });
if (database.mode === "embedded") {
  console.log("[worker] no DATABASE_URL and no running `npm start`: serving the embedded database from this process");
}
const worker = await startWorker({ scoringConcurrency: concurrency });

let isShuttingDown = false;
async function shutdown(signal: string) {
  if (isShuttingDown) return;
  isShuttingDown = true;
  console.log(`[worker] ${signal}: shutting down`);
  await worker.stop({ timeoutMs: shutdownTimeoutMs });
  await closePools();
  await database.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
