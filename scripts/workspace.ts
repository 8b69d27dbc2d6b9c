/**
 * npm run workspace -- <command> — create, list, rename and archive workspaces and manage their members (each with its own taxonomy,
 * data, models and queue). `npm run workspace -- --help` lists every command and option.
 */
import "./lib/check-env.ts";
import { readFile } from "node:fs/promises";
import { AppError } from "../lib/errors.ts";
import { parseTaxonomyFile } from "../lib/taxonomy/parse-file.ts";
import { TAXONOMY_TEMPLATE_IDS, TAXONOMY_TEMPLATES } from "../lib/taxonomy/templates.ts";
import { formatTaxonomyIssue } from "../lib/taxonomy/validate.ts";
import { ZCreateWorkspace, ZMemberRole, ZWorkspaceName } from "../lib/workspace/contract.ts";
import { migrate } from "../server/db/migrate.ts";
import { closePools, getPool } from "../server/db/pool.ts";
import { createFirstAdmin } from "../server/setup/create-first-admin.ts";
import { createWorkspace } from "../server/workspace/create-workspace.ts";
import { listWorkspaces } from "../server/workspace/list-workspaces.ts";
import { listWorkspaceMembers } from "../server/workspace/list-workspace-members.ts";
import { renameWorkspace } from "../server/workspace/rename-workspace.ts";
import { removeWorkspaceMember, setWorkspaceMember } from "../server/workspace/set-workspace-member.ts";
import { updateWorkspace } from "../server/workspace/update-workspace.ts";
import { parseCli, type TCli } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const command = parseCli({
  script: "workspace",
  usage: "<command> [options]",
  summary: "Workspaces keep a team's taxonomy, data, models, queue and gold set apart (pages live under /w/<slug>/).",
  maxPositionals: 2,
  positionals: {
    create: "create a workspace with its taxonomy: --name and (--template or --taxonomy), optionally --slug",
    list: "every workspace: slug, name, categories, excerpts",
    "rename <slug>": "change the display name with --name (the slug, and so every link, stays)",
    "archive <slug>": "archive: everything stays readable, nothing new can be added (imports, labels, training)",
    "unarchive <slug>": "restore an archived workspace",
    "members <slug>": "list who can open it and their role there; --add <email> --role <role> adds or changes one, --remove <email> removes one",
    templates: "the taxonomy templates and their categories",
    "first-admin": "create the first account, an instance admin (only while no account exists; --email, --name; the password is read from standard input)",
  },
  options: {
    name: { type: "string", value: "<name>", description: 'the workspace\'s display name, e.g. "Hate speech (EN)"' },
    slug: { type: "string", value: "<slug>", description: "the URL part, 1–40 of a-z 0-9 and single hyphens (default: made from --name)" },
    template: { type: "string", value: "<id>", description: `start from a taxonomy template: ${TAXONOMY_TEMPLATE_IDS.join(", ")}` },
    taxonomy: {
      type: "string",
      value: "<file>",
      description: "start from your own taxonomy, CSV or JSON: name, description, colour, hotkey, non_toxic (exactly one non-toxic)",
    },
    email: { type: "string", value: "<email>", description: "first-admin: the account's email" },
    add: { type: "string", value: "<email>", description: "members: add this account (or change its role) with --role" },
    role: { type: "string", value: "<role>", description: `members --add: ${ZMemberRole.options.join(", ")}` },
    remove: { type: "string", value: "<email>", description: "members: remove this account's membership" },
    json: { type: "boolean", description: "print the result as JSON" },
  },
  examples: [
    `printf '%s\\n' "$ADMIN_PASSWORD" | npm run workspace -- first-admin --email ada@example.com --name Ada`,
    'npm run workspace -- create --name "Hate speech (EN)" --taxonomy labels.csv',
    'npm run workspace -- create --name "Game chat" --slug game-chat --template game-chat',
    'npm run workspace -- rename game-chat --name "Game chat (EU)"',
    "npm run workspace -- members game-chat --add sam@example.com --role moderator",
    "npm run workspace -- archive game-chat",
  ],
  notes: [
    "Exit codes: 0 done; 1 refused (taken slug, invalid taxonomy, unknown workspace; nothing written); 2 wrong usage (unknown command or option, missing value).",
  ],
});
const { values: args, positionals, log } = command;
const fail: TCli["fail"] = command.fail;
const COMMANDS = ["create", "list", "rename", "archive", "unarchive", "members", "templates", "first-admin"];
const [subcommand, ...rest] = positionals;
if (!subcommand) fail(`name a command: ${COMMANDS.join(", ")}`);
if (!COMMANDS.includes(subcommand!)) fail(`unknown command "${subcommand}" (commands: ${COMMANDS.join(", ")})`);

if (subcommand === "templates") {
  if (args.json) console.log(JSON.stringify(TAXONOMY_TEMPLATES, null, 2));
  else
    for (const t of TAXONOMY_TEMPLATES) {
      console.log(`${t.id.padEnd(13)} ${t.name}`);
      for (const c of t.categories) console.log(`${" ".repeat(14)}${c.hotkey ?? "-"}  ${c.name}${c.isNonToxic ? " (non-toxic)" : ""}`);
    }
  process.exit(0);
}

// Validate everything that needs no database first: a usage mistake never opens (or migrates) one.
let createInput: ReturnType<typeof ZCreateWorkspace.parse> | null = null;
if (subcommand === "create") {
  if (!args.name) fail('create needs --name, e.g. --name "Hate speech (EN)"');
  if ((args.template === undefined) === (args.taxonomy === undefined))
    fail(`create needs either --template (${TAXONOMY_TEMPLATE_IDS.join(", ")}) or --taxonomy <file>`);
  let categories: unknown[] | undefined;
  if (args.taxonomy) {
    const text = await readFile(args.taxonomy, "utf8").catch((err: NodeJS.ErrnoException) =>
      fail(`cannot read --taxonomy ${args.taxonomy}: ${err.code === "ENOENT" ? "no such file" : err.message}`),
    );
    const result = await parseTaxonomyFile(text, { fileName: args.taxonomy });
    if (!result.ok) {
      log(`${args.taxonomy} is not a usable taxonomy; nothing was created:`);
      for (const issue of result.issues) log(`  ${formatTaxonomyIssue(issue, result.unit)}`);
      process.exit(1);
    }
    categories = result.categories;
  }
  const checked = ZCreateWorkspace.safeParse({ name: args.name, slug: args.slug, template: args.template, categories });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    fail(`--${String(issue.path[0] ?? "name")}: ${issue.message}`);
  }
  createInput = checked.data!;
} else if (subcommand === "first-admin") {
  if (!args.email || !args.name) fail('first-admin needs --email and --name, e.g. --email ada@example.com --name "Ada Lovelace"');
} else if (subcommand === "archive" || subcommand === "unarchive" || subcommand === "members") {
  if (!rest[0]) fail(`${subcommand} needs the workspace's slug: npm run workspace -- ${subcommand} <slug>`);
  if (subcommand === "members") {
    if (args.add && args.remove) fail("members takes --add or --remove, not both");
    if (args.add && !ZMemberRole.safeParse(args.role).success) fail(`members --add needs --role: ${ZMemberRole.options.join(", ")}`);
    if (!args.add && args.role) fail("--role goes with --add <email>");
  }
} else if (subcommand === "rename") {
  if (!rest[0]) fail("rename needs the workspace's slug: npm run workspace -- rename <slug> --name <new name>");
  if (!args.name) fail("rename needs --name <new name>");
  const name = ZWorkspaceName.safeParse(args.name);
  if (!name.success) fail(`--name: ${name.error.issues[0].message}`);
}

const database = await openDatabase({ log });
try {
  // an empty database (a fresh DATABASE_URL) gets its tables first, so `create` works as the first command
  await migrate(database.url, { log });
  const pool = getPool(database.url);
  if (subcommand === "create") {
    const created = await createWorkspace({ input: createInput!, creatorUserId: null });
    if (args.json) console.log(JSON.stringify(created, null, 2));
    else {
      log(`created workspace "${created.name}" (slug ${created.slug}) with ${created.categoryCount} categories`);
      log(`next: npm run import -- <file.csv> --workspace ${created.slug}   (pages: /w/${created.slug}/)`);
    }
  } else if (subcommand === "first-admin") {
    const password = await readPassword();
    if (!password) fail("first-admin reads the password from standard input, e.g. printf '%s\\n' \"$ADMIN_PASSWORD\" | npm run workspace -- first-admin …");
    const admin = await createFirstAdmin({ email: args.email!.trim().toLowerCase(), name: args.name!.trim(), password });
    if (args.json) console.log(JSON.stringify(admin, null, 2));
    else log(`created ${admin.email}, an instance admin: sign in with it, and imports are recorded under it`);
  } else if (subcommand === "list") {
    const workspaces = await listWorkspaces();
    if (args.json) console.log(JSON.stringify(workspaces, null, 2));
    else if (workspaces.length === 0) log('no workspaces yet; create one with: npm run workspace -- create --name "My workspace" --template toxic-binary');
    else
      for (const w of workspaces) {
        console.log(
          [w.slug.padEnd(20), w.name.padEnd(30), `${w.categoryCount} categories`, `${w.excerptCount} excerpts`, w.archivedAt ? `archived ${w.archivedAt}` : ""]
            .filter(Boolean)
            .join("  "),
        );
      }
  } else if (subcommand === "archive" || subcommand === "unarchive") {
    const workspace = await workspaceBySlug(pool, rest[0]!);
    const updated = await updateWorkspace({ workspaceId: workspace.id, changes: { isArchived: subcommand === "archive" } });
    if (args.json) console.log(JSON.stringify(updated, null, 2));
    else
      log(
        updated.archivedAt
          ? `workspace ${updated.slug} is archived (since ${updated.archivedAt}): readable, takes no new data`
          : `workspace ${updated.slug} is in use again`,
      );
  } else if (subcommand === "members") {
    const workspace = await workspaceBySlug(pool, rest[0]!);
    if (args.add) {
      const member = await setWorkspaceMember({ workspaceId: workspace.id, user: { email: args.add }, role: ZMemberRole.parse(args.role), actorUserId: null });
      log(`${member.email} is ${member.role} in ${workspace.slug}`);
    } else if (args.remove) {
      const user = (await pool.query<{ id: number }>(`SELECT id FROM app_user WHERE lower(email) = lower($1)`, [args.remove.trim()])).rows[0];
      if (!user) throw new AppError("NOT_FOUND", `--remove: no account has the email ${args.remove.trim()}.`);
      const { isRemoved } = await removeWorkspaceMember({ workspaceId: workspace.id, userId: user.id, actorUserId: null });
      log(
        isRemoved
          ? `${args.remove.trim()} is no longer a member of ${workspace.slug}`
          : `${args.remove.trim()} was not a member of ${workspace.slug}; nothing changed`,
      );
    } else {
      const members = await listWorkspaceMembers({ workspaceId: workspace.id });
      if (args.json) console.log(JSON.stringify(members, null, 2));
      else
        for (const m of members)
          console.log([m.email.padEnd(32), m.isMember ? m.role : "admin (instance admin)", m.isActive ? "" : "deactivated"].filter(Boolean).join("  "));
    }
  } else if (subcommand === "rename") {
    const workspace = await workspaceBySlug(pool, rest[0]!);
    const renamed = await renameWorkspace({ workspaceId: workspace.id, name: args.name! });
    if (args.json) console.log(JSON.stringify(renamed, null, 2));
    else log(`workspace ${renamed.slug} is now called "${renamed.name}"`);
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

/** The password: typed without echo at a terminal, else the first line of standard input (a pipe). */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    return text.split(/\r?\n/)[0] ?? "";
  }
  process.stderr.write("Password (at least 12 characters): ");
  process.stdin.setRawMode(true);
  let typed = "";
  for await (const chunk of process.stdin) {
    for (const ch of String(chunk)) {
      if (ch === "\r" || ch === "\n") {
        process.stdin.setRawMode(false);
        process.stderr.write("\n");
        process.stdin.pause();
        return typed;
      }
      if (ch === "\u0003") process.exit(130);
      typed = ch === "\u007f" ? typed.slice(0, -1) : typed + ch;
    }
  }
  return typed;
}

async function workspaceBySlug(pool: ReturnType<typeof getPool>, slug: string): Promise<{ id: number; slug: string }> {
  const row = (await pool.query<{ id: number; slug: string }>(`SELECT id, slug FROM workspace WHERE slug = $1`, [slug])).rows[0];
  if (row) return row;
  const slugs = (await pool.query<{ slug: string }>(`SELECT slug FROM workspace ORDER BY slug`)).rows.map((r) => r.slug);
  throw new AppError(
    "NOT_FOUND",
    `No workspace "${slug}". ${slugs.length ? `Workspaces: ${slugs.join(", ")}.` : "There are none yet: create one with `npm run workspace -- create`."}`,
  );
}
