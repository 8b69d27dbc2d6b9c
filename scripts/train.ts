/**
 * npm run train [-- options] — trains a new version of the default model on the workspace's current
 * labels (the gold set excluded), evaluates it on the gold set and registers it with its metrics,
 * printing the run's status as it goes (queued → training → evaluating → done / failed).
 *
 *   --workspace <slug>   target workspace (default: the current one)
 *   --user <email>       recorded as who trained it (default: nobody)
 *   --queue              hand it to the background workers (`npm run worker`) and follow its status,
 *                        instead of training in this process
 *   --promote            make it the active version when done (refused if it is worse than the
 *                        active one on the gold set, unless --force)
 *   --force              with --promote: promote even when worse
 */
import "./lib/check-env.ts";
import { parseArgs } from "node:util";
import { AppError } from "../lib/errors.ts";
import { closePools, getPool } from "../server/db/pool.ts";
import { stopBoss } from "../server/jobs/boss.ts";
import { promoteModelVersion } from "../server/registry/promote-model-version.ts";
import { requestTraining } from "../server/registry/request-training.ts";
import { runTraining } from "../server/registry/run-training.ts";
import { cli, resolveCliUser, resolveCliWorkspace } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const USAGE = "usage: npm run train -- [--workspace <slug>] [--user <email>] [--queue] [--promote [--force]]";
const { log } = cli("train", USAGE);

let parsed;
try {
  parsed = parseArgs({
    options: {
      workspace: { type: "string" },
      user: { type: "string" },
      queue: { type: "boolean", default: false },
      promote: { type: "boolean", default: false },
      force: { type: "boolean", default: false },
    },
  });
} catch (err) {
  log((err as Error).message);
  console.error(USAGE);
  process.exit(2);
}
const { values: args } = parsed;

const database = await openDatabase({ log });
const startedAt = performance.now();
const elapsed = () => `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;
try {
  const pool = getPool(database.url);
  const workspace = await resolveCliWorkspace(pool, args.workspace);
  const user = await resolveCliUser(pool, args.user);

  let outcome: { status: string; modelVersionId: number | null; message: string };
  if (args.queue) {
    const { run, isAlreadyRunning } = await requestTraining({ workspaceId: workspace.id, requestedById: user?.id ?? null });
    log(isAlreadyRunning ? `joined training run #${run.id} (already ${run.status})` : `queued training run #${run.id}; a worker (npm run worker) picks it up`);
    let last = "";
    for (;;) {
      const { rows } = await pool.query<{ status: string; message: string; model_version_id: number | null }>(`SELECT status, message, model_version_id FROM training_run WHERE id = $1`, [run.id]);
      const r = rows[0];
      if (`${r.status}:${r.message}` !== last) log(`${elapsed()} ${r.status}: ${r.message}`);
      last = `${r.status}:${r.message}`;
      if (r.status === "done" || r.status === "failed") {
        outcome = { status: r.status, modelVersionId: r.model_version_id, message: r.message };
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } else {
    log(`workspace "${workspace.slug}": training in this process`);
    outcome = await runTraining({ workspaceId: workspace.id, trainedById: user?.id ?? null, onStatus: (status, message) => log(`${elapsed()} ${status}: ${message}`) });
  }
  if (outcome.status !== "done" || outcome.modelVersionId === null) throw new AppError("VALIDATION", `training failed: ${outcome.message}`);
  console.log(`registered candidate version #${outcome.modelVersionId} in ${elapsed()}: ${outcome.message}`);

  if (args.promote) {
    const promoted = await promoteModelVersion({ workspaceId: workspace.id, modelVersionId: outcome.modelVersionId, isConfirmed: args.force });
    console.log(`promoted #${promoted.modelVersionId} to active${promoted.previousActiveId ? ` (was #${promoted.previousActiveId})` : ""}; re-scoring runs in the background`);
  } else {
    console.log("compare and promote it on the model registry page (/models), or rerun with --promote");
  }
} catch (err) {
  log(err instanceof AppError ? err.message : `failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await stopBoss({ graceful: false }).catch(() => {});
  await closePools();
  await database.close();
}
