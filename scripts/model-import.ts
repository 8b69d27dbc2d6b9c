/**
 * npm run model:import -- <dir> [options] — registers a model folder written by model/train.py
 * (manifest.json + model.onnx + tokenizer.json) as a candidate version of a workspace.
 *
 * The folder is checked first: the manifest against the model contract, the ONNX file by running it
 * in onnxruntime-node, and every label against the workspace's categories (by name). Nothing is
 * written unless all checks pass. Promote the candidate from the model registry page.
 *
 * Options: `npm run model:import -- --help` (the parseCli spec below).
 */
import "./lib/check-env.ts";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { AppError } from "../lib/errors.ts";
import { closePools, getPool } from "../server/db/pool.ts";
import { registerModelDir } from "../server/model/register-model-dir.ts";
import { parseCli, type TCli, resolveCliUser, resolveCliWorkspace } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const command = parseCli({
  script: "model:import",
  usage: "<dir> [options]",
  summary:
    "Registers a model folder written by model/train.py (manifest.json + model.onnx + tokenizer.json) as a candidate version of a workspace, " +
    "after checking the manifest, running the ONNX file and matching every label to a category. Nothing is written unless all checks pass.",
  maxPositionals: 1,
  positionals: { "<dir>": "the out_dir of model/train.py" },
  options: {
    workspace: { type: "string", value: "<slug>", description: "workspace to add it to (default: the only one; required when there are several)" },
    user: { type: "string", value: "<email>", description: "recorded as who trained it (default: nobody)" },
  },
  examples: ["npm run model:import -- ./runs/bertweet --workspace my-game"],
});
const { values: args, positionals, log } = command;
const fail: TCli["fail"] = command.fail;
if (positionals.length === 0) fail("name the model folder to import (the out_dir of model/train.py)");
const dir = path.resolve(positionals[0]);
if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`no such folder: ${dir}`);

const database = await openDatabase({ log });
try {
  const pool = getPool(database.url);
  const workspace = await resolveCliWorkspace(pool, args.workspace, { isWrite: true });
  const user = await resolveCliUser(pool, args.user);

  log(`${dir} → workspace "${workspace.slug}"`);
  const registered = await registerModelDir({ workspaceId: workspace.id, dir, trainedById: user?.id ?? null });
  console.log(`registered ${registered.kind} model "${registered.version}" as candidate version #${registered.id} of "${workspace.slug}"`);
  console.log("compare and promote it on the model registry page");
} catch (err) {
  log(err instanceof AppError ? err.message : `failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closePools();
  await database.close();
}
