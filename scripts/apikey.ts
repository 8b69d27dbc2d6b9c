/**
 * npm run apikey -- <create|list|revoke> [options] — machine-API keys of a workspace.
 *
 *   create --name <name> [--scopes classify,ingest,decisions:read] [--rate-limit <per minute>]
 *          [--expires <ISO date>] [--user <email>]      prints the key ONCE (only its hash is stored)
 *   list                                                every key with its prefix, scopes, status, last use
 *   revoke <id>                                         refused from the next request on
 *   --workspace <slug>                                  (default: the current workspace)
 */
import "./lib/check-env.ts";
import { parseArgs } from "node:util";
import { AppError } from "../lib/errors.ts";
import { API_SCOPES } from "../lib/serving/api-key.ts";
import { createApiKey } from "../server/api-keys/create-api-key.ts";
import { listApiKeys } from "../server/api-keys/list-api-keys.ts";
import { revokeApiKey } from "../server/api-keys/revoke-api-key.ts";
import { closePools, getPool } from "../server/db/pool.ts";
import { cli, resolveCliUser, resolveCliWorkspace, type TCli } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const USAGE = `usage: npm run apikey -- create --name <name> [--scopes ${API_SCOPES.join(",")}] [--rate-limit <per minute>] [--expires <ISO date>] [--user <email>] [--workspace <slug>]
       npm run apikey -- list [--workspace <slug>] [--json]
       npm run apikey -- revoke <id> [--workspace <slug>]
Keys authorise the machine API only (npm run api; Authorization: Bearer <key> or ?key=<key>); default scopes: classify,ingest.`;
const { log, fail }: TCli = cli("apikey", USAGE);

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      workspace: { type: "string" },
      name: { type: "string" },
      scopes: { type: "string" },
      "rate-limit": { type: "string" },
      expires: { type: "string" },
      user: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (err) {
  fail((err as Error).message);
}
const { values: args, positionals } = parsed!;
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const [command, ...rest] = positionals;
if (!command || !["create", "list", "revoke"].includes(command)) fail(command ? `unknown command "${command}"` : "name a command: create, list or revoke");

const database = await openDatabase({ log });
try {
  const pool = getPool(database.url);
  const workspace = await resolveCliWorkspace(pool, args.workspace);
  if (command === "create") {
    if (!args.name) fail("create needs --name (say what uses the key, e.g. --name chat-pipeline)");
    const rateLimit = args["rate-limit"] === undefined ? null : Number(args["rate-limit"]);
    if (rateLimit !== null && !(Number.isInteger(rateLimit) && rateLimit > 0)) fail(`--rate-limit must be a whole number of requests per minute, got "${args["rate-limit"]}"`);
    const expiresAt = args.expires === undefined ? null : new Date(args.expires);
    if (expiresAt && Number.isNaN(expiresAt.getTime())) fail(`--expires must be an ISO date, got "${args.expires}"`);
    const user = await resolveCliUser(pool, args.user);
    const created = await createApiKey({
      workspaceId: workspace.id,
      createdById: user?.id ?? null,
      input: { name: args.name!, scopes: args.scopes?.split(",").map((s) => s.trim()) as never, rateLimitPerMinute: rateLimit, expiresAt },
    });
    if (args.json) console.log(JSON.stringify(created, null, 2));
    else {
      log(`created key #${created.id} "${created.name}" in workspace ${workspace.slug} (scopes ${created.scopes.join(", ")}${created.rateLimitPerMinute ? `, ${created.rateLimitPerMinute}/min` : ""}${created.expiresAt ? `, expires ${created.expiresAt}` : ""})`);
      log("the key is shown this once; store it now (only its hash is kept):");
      console.log(created.key);
    }
  } else if (command === "list") {
    const keys = await listApiKeys({ workspaceId: workspace.id });
    if (args.json) console.log(JSON.stringify(keys, null, 2));
    else if (keys.length === 0) log(`no keys in workspace ${workspace.slug}; create one with: npm run apikey -- create --name <name>`);
    else
      for (const k of keys) {
        console.log(
          [`#${k.id}`, k.prefix + "…", k.status, k.name, k.scopes.join(","), k.rateLimitPerMinute ? `${k.rateLimitPerMinute}/min` : "no limit", `last used ${k.lastUsedAt ?? "never"}`, k.expiresAt ? `expires ${k.expiresAt}` : ""]
            .filter(Boolean)
            .join("  "),
        );
      }
  } else {
    const id = Number(rest[0]);
    if (!rest[0] || !Number.isInteger(id)) fail("revoke needs the key's id (see npm run apikey -- list)");
    const revoked = await revokeApiKey({ workspaceId: workspace.id, keyId: id });
    log(`key #${revoked.id} "${revoked.name}" (${revoked.prefix}…) revoked at ${revoked.revokedAt}`);
  }
} catch (err) {
  if (err instanceof AppError) {
    log(err.message);
    process.exitCode = 1;
  } else throw err;
} finally {
  await closePools();
  await database.close();
}
