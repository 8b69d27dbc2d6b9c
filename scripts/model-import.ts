/**
 * npm run model:import -- <dir> [options] — registers a model folder written by model/train.py
 * (manifest.json + model.onnx + tokenizer.json) as a candidate version of a workspace.
 *
 *   --workspace <slug>   target workspace (default: the current one)
 *   --user <email>       recorded as who trained it (default: nobody)
 *
 * The folder is checked first: the manifest against the model contract, the ONNX file by running it
 * in onnxruntime-node, and every label against the workspace's categories (by name). Nothing is
 * written unless all checks pass. Promote the candidate from the model registry page.
 */
import "./lib/check-env.ts";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../lib/errors.ts";
import { closePools, getPool } from "../server/db/pool.ts";
import { registerModelDir } from "../server/model/register-model-dir.ts";
import { cli, type TCli, resolveCliUser, resolveCliWorkspace } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const USAGE = "usage: npm run model:import -- <dir> [--workspace <slug>] [--user <email>]";
const script: TCli = cli("model:import", USAGE);
const { log } = script;
const fail: TCli["fail"] = script.fail;

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { workspace: { type: "string" }, user: { type: "string" } } });
} catch (err) {
  fail((err as Error).message);
}
const { values: args, positionals } = parsed;
if (positionals.length !== 1) fail(positionals.length === 0 ? "name the model folder to import (the out_dir of model/train.py)" : `one folder at a time (got ${positionals.length})`);
const dir = path.resolve(positionals[0]);
if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`no such folder: ${dir}`);

const database = await openDatabase({ log });
try {
  const pool = getPool(database.url);
  const workspace = await resolveCliWorkspace(pool, args.workspace);
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
