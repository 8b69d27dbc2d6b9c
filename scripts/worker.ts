/**
 * npm run worker [-- --concurrency N] — a background worker: scores new excerpts, trains models,
 * rebuilds queues. Run as many as you like on as many machines as you like, all on the same
 * DATABASE_URL; pg-boss gives each job to one of them. SIGTERM/SIGINT finish running jobs first.
 */
import "./lib/check-env.ts";
import "./lib/survive-closed-output.ts";
import { closePools } from "../server/db/pool.ts";
import { startWorker } from "../server/worker/worker.ts";
import { parseCli, type TCli } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";
import { env } from "../server/env.ts";

const command = parseCli({
  script: "worker",
  usage: "[options]",
  summary:
    "A background worker: scores new excerpts, trains models, rebuilds queues, creates snapshots, delivers webhooks. Run as many as you like " +
    "on the same DATABASE_URL; each job goes to one of them. SIGTERM/SIGINT finish running jobs first.",
  options: {
    concurrency: { type: "string", value: "<n>", description: "scoring jobs run in parallel (default: $MODLOOP_WORKER_CONCURRENCY, else 1)" },
    "shutdown-timeout": { type: "string", value: "<seconds>", description: "how long SIGTERM waits for running jobs (default 30)" },
  },
  examples: ["npm run worker", "DATABASE_URL=postgresql://modloop@db.example.com/modloop npm run worker -- --concurrency 2"],
});
const fail: TCli["fail"] = command.fail;
const values = {
  concurrency: command.values.concurrency ?? String(env().MODLOOP_WORKER_CONCURRENCY),
  "shutdown-timeout": command.values["shutdown-timeout"] ?? "30",
};
const concurrency = Number(values.concurrency);
const shutdownTimeoutMs = Number(values["shutdown-timeout"]) * 1000;
if (!Number.isInteger(concurrency) || concurrency < 1) fail(`--concurrency must be a positive whole number, got "${values.concurrency}"`);
if (!(shutdownTimeoutMs >= 0)) fail(`--shutdown-timeout must be a number of seconds, got "${values["shutdown-timeout"]}"`);

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
