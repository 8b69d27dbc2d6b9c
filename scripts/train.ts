/**
 * npm run train [-- options] — trains a new version of the default model on the workspace's current
 * labels (the gold set excluded), evaluates it on the gold set and registers it with its metrics,
 * printing the run's status as it goes (queued → training → evaluating → done / failed).
 *
 * Options: `npm run train -- --help` (the parseCli spec below).
 */
import "./lib/check-env.ts";
import { AppError } from "../lib/errors.ts";
import { closePools, getPool } from "../server/db/pool.ts";
import { stopBoss } from "../server/jobs/boss.ts";
import { promoteModelVersion } from "../server/registry/promote-model-version.ts";
import { requestTraining } from "../server/registry/request-training.ts";
import { runTraining } from "../server/registry/run-training.ts";
import { parseCli, resolveCliUser, resolveCliWorkspace } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const { values: args, log } = parseCli({
  script: "train",
  usage: "[options]",
  summary:
    "Trains a new version of the default model on the workspace's current labels (the gold set excluded), evaluates it on the gold set " +
    "and registers it with its metrics, printing the run's status as it goes.",
  options: {
    workspace: { type: "string", value: "<slug>", description: "workspace to train (default: the only one; required when there are several)" },
    user: { type: "string", value: "<email>", description: "recorded as who trained it (default: nobody)" },
    queue: { type: "boolean", description: "hand it to the background workers (npm run worker) and follow its status instead of training here" },
    promote: { type: "boolean", description: "make it the active version when done (refused if worse than the active one on the gold set)" },
    force: { type: "boolean", description: "with --promote: promote even when worse" },
  },
  examples: ["npm run train -- --workspace my-game", "npm run train -- --workspace my-game --promote"],
});
if (args.force && !args.promote) log("--force only matters with --promote; training without promoting");

const database = await openDatabase({ log });
const startedAt = performance.now();
const elapsed = () => `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;
try {
  const pool = getPool(database.url);
  const workspace = await resolveCliWorkspace(pool, args.workspace, { isWrite: true });
  const user = await resolveCliUser(pool, args.user);

  let outcome: { status: string; modelVersionId: number | null; message: string };
  if (args.queue) {
    const { run, isAlreadyRunning } = await requestTraining({ workspaceId: workspace.id, requestedById: user?.id ?? null });
    log(isAlreadyRunning ? `joined training run #${run.id} (already ${run.status})` : `queued training run #${run.id}; a worker (npm run worker) picks it up`);
    let last = "";
    for (;;) {
      const { rows } = await pool.query<{ status: string; message: string; model_version_id: number | null }>(
        `SELECT status, message, model_version_id FROM training_run WHERE id = $1`,
        [run.id],
      );
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
    outcome = await runTraining({
      workspaceId: workspace.id,
      trainedById: user?.id ?? null,
      onStatus: (status, message) => log(`${elapsed()} ${status}: ${message}`),
    });
  }
  if (outcome.status !== "done" || outcome.modelVersionId === null) throw new AppError("VALIDATION", `training failed: ${outcome.message}`);
  console.log(`registered candidate version #${outcome.modelVersionId} in ${elapsed()}: ${outcome.message}`);

  if (args.promote) {
    const promoted = await promoteModelVersion({ workspaceId: workspace.id, modelVersionId: outcome.modelVersionId, isConfirmed: args.force });
    console.log(
      `promoted #${promoted.modelVersionId} to active${promoted.previousActiveId ? ` (was #${promoted.previousActiveId})` : ""}; re-scoring runs in the background`,
    );
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
