/**
 * npm run apikey -- <create|list|revoke> [options] — machine-API keys of a workspace.
 * Options: `npm run apikey -- --help` (the parseCli spec below).
 */
import "./lib/check-env.ts";
import { AppError } from "../lib/errors.ts";
import { API_SCOPES } from "../lib/serving/api-key.ts";
import { createApiKey } from "../server/api-keys/create-api-key.ts";
import { listApiKeys } from "../server/api-keys/list-api-keys.ts";
import { revokeApiKey } from "../server/api-keys/revoke-api-key.ts";
import { closePools, getPool } from "../server/db/pool.ts";
import { parseCli, resolveCliUser, resolveCliWorkspace, type TCli } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const cliArgs = parseCli({
  script: "apikey",
  usage: "create|list|revoke [<id>] [options]",
  summary:
    "Creates, lists and revokes the machine-API keys of a workspace. Keys authorise the machine API only (npm run api; " +
    "Authorization: Bearer <key> or ?key=<key>); a new key is printed once, only its hash is stored.",
  maxPositionals: 2,
  positionals: {
    create: "a new key (needs --name); prints it once",
    list: "every key with its prefix, scopes, status and last use",
    "revoke <id>": "the key is refused from the next request on",
  },
  options: {
    workspace: { type: "string", value: "<slug>", description: "the workspace whose keys these are (default: the only one; required when there are several)" },
    name: { type: "string", value: "<name>", description: "create: what uses the key, e.g. chat-pipeline" },
    scopes: { type: "string", value: "<list>", description: `create: ${API_SCOPES.join(",")} (default classify,ingest)` },
    "rate-limit": { type: "string", value: "<n>", description: "create: requests per minute the key may make" },
    expires: { type: "string", value: "<ISO date>", description: "create: the key stops working at this time" },
    user: { type: "string", value: "<email>", description: "create: recorded as the key's creator" },
    json: { type: "boolean", description: "create/list: print JSON instead of text" },
  },
  examples: [
    "npm run apikey -- create --name chat-pipeline --workspace my-game --scopes classify,ingest",
    "npm run apikey -- list --workspace my-game",
    "npm run apikey -- revoke 3 --workspace my-game",
  ],
});
const { values: args, positionals, log } = cliArgs;
const fail: TCli["fail"] = cliArgs.fail;
const [command, ...rest] = positionals;
if (!command || !["create", "list", "revoke"].includes(command)) fail(command ? `unknown command "${command}"` : "name a command: create, list or revoke");

const database = await openDatabase({ log });
try {
  const pool = getPool(database.url);
  const workspace = await resolveCliWorkspace(pool, args.workspace);
  if (command === "create") {
    if (!args.name) fail("create needs --name (say what uses the key, e.g. --name chat-pipeline)");
    const rateLimit = args["rate-limit"] === undefined ? null : Number(args["rate-limit"]);
    if (rateLimit !== null && !(Number.isInteger(rateLimit) && rateLimit > 0))
      fail(`--rate-limit must be a whole number of requests per minute, got "${args["rate-limit"]}"`);
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
      log(
        `created key #${created.id} "${created.name}" in workspace ${workspace.slug} (scopes ${created.scopes.join(", ")}${created.rateLimitPerMinute ? `, ${created.rateLimitPerMinute}/min` : ""}${created.expiresAt ? `, expires ${created.expiresAt}` : ""})`,
      );
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
          [
            `#${k.id}`,
            k.prefix + "…",
            k.status,
            k.name,
            k.scopes.join(","),
            k.rateLimitPerMinute ? `${k.rateLimitPerMinute}/min` : "no limit",
            `last used ${k.lastUsedAt ?? "never"}`,
            k.expiresAt ? `expires ${k.expiresAt}` : "",
          ]
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
