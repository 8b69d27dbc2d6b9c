import bcrypt from "bcryptjs";
import pg from "pg";
import { DEMO_PASSWORD, DEMO_USERS, type TDemoUser } from "../../lib/demo/demo-users.ts";

/**
 * The e2e fixture: one workspace, a six-category taxonomy (hotkeys 1–6, non-toxic included), one
 * user per role, and scored game-chat excerpts in conversations with ranked queue items — what the
 * scoring worker would leave behind. Plain SQL so the browser tests depend on the schema only.
 */
export const E2E_PASSWORD = DEMO_PASSWORD;
const emailOf = (role: TDemoUser["role"], nth = 0) => DEMO_USERS.filter((u) => u.role === role)[nth].email;
export const E2E_USERS = {
  moderator: emailOf("moderator"),
  moderator2: emailOf("moderator", 1),
  data_scientist: emailOf("data_scientist"),
  manager: emailOf("manager"),
  admin: emailOf("admin"),
} as const;

export const E2E_CATEGORIES = [
  { name: "Not toxic", color: "#16a34a", isNonToxic: true, description: "Banter, strategy, neutral chat" },
  { name: "Insult", color: "#f97316", isNonToxic: false, description: "Personal attacks on a player" },
  { name: "Profanity", color: "#a855f7", isNonToxic: false, description: "Swearing not aimed at anyone" },
  { name: "Threat", color: "#dc2626", isNonToxic: false, description: "Threats of violence or doxxing" },
  { name: "Hate speech", color: "#7f1d1d", isNonToxic: false, description: "Attacks on protected groups" },
  { name: "Spam", color: "#0ea5e9", isNonToxic: false, description: "Ads, scams, flooding" },
] as const;

/** [text, index into E2E_CATEGORIES] */
const SEED_LABELS: [string, number][] = [
  ["good game all, well played", 0],
  ["push top after this fight", 0],
  ["thanks for the heal", 0],
  ["you are a useless idiot", 1],
  ["worst jungler ever, braindead", 1],
  ["shit, missed the ult again", 2],
  ["fuck this lag", 2],
  ["i will find you and hurt you", 3],
  ["say that again and you are dead", 3],
  ["go back to your country, you people ruin everything", 4],
  ["cheap coins at goldshop dot com", 5],
  ["free skins click my profile link", 5],
];

const LINES = [
  "gg wp everyone, that was close",
  "can someone ward the river pls",
  "you are literally the worst support i have ever seen",
  "uninstall the game you absolute clown",
  "wtf was that dive, holy shit",
  "buy cheap gold at g0ldfarm dot biz!!!",
  "i know where you live, watch yourself",
  "lol nice try, next time",
  "mid is missing, care bot lane",
  "report this idiot please he is feeding",
  "<script>alert('xss')</script> haha",
  "who wants to queue again after this",
  "fucking lag again, unplayable",
  "stop flaming and just play",
  "you people should not be allowed online",
  "FREE SKINS visit skins4free now",
];

export async function seedE2eFixture(connectionString: string, opts: { excerpts?: number } = {}): Promise<void> {
  const total = opts.excerpts ?? 50;
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("BEGIN");
    const { rows: ws } = await client.query<{ id: number }>(
      `INSERT INTO workspace (slug, name, flag_threshold, random_share, claim_batch_size, lease_seconds)
       VALUES ('default', 'Arena Chat', 0.5, 0.1, 5, 300) RETURNING id`,
    );
    const workspaceId = ws[0].id;
    const categoryIds: number[] = [];
    for (const [i, c] of E2E_CATEGORIES.entries()) {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO category (workspace_id, name, description, color, hotkey, sort_order, is_non_toxic)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [workspaceId, c.name, c.description, c.color, i + 1, (i + 1) * 10, c.isNonToxic],
      );
      categoryIds.push(rows[0].id);
    }
    const hash = await bcrypt.hash(E2E_PASSWORD, 10);
    for (const user of DEMO_USERS) {
      await client.query(
        `WITH u AS (INSERT INTO app_user (email, name, password_hash, role) VALUES ($1, $2, $3, $4::"Role") RETURNING id, role)
         INSERT INTO workspace_member (workspace_id, user_id, role) SELECT $5, id, role FROM u`,
        [user.email, user.name, hash, user.role, workspaceId],
      );
    }
    const t0 = Date.parse("2026-11-28T18:00:00Z");
    // A small labelled starting set (as an import would bring in), so the real model trains on labels
    // plus its lexicon prior; labelled excerpts are never queued.
    const { rows: admins } = await client.query<{ id: number }>(`SELECT id FROM app_user WHERE role = 'admin' ORDER BY id LIMIT 1`);
    for (const [i, [text, categoryIndex]] of SEED_LABELS.entries()) {
      const categoryId = categoryIds[categoryIndex];
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO excerpt (workspace_id, dedup_key, external_id, text, game, conversation_id, speaker_id, occurred_at, current_category_id)
         VALUES ($1, $2, $2, $3, 'Arena', 'seed-labels', 'seed', $4, $5) RETURNING id::text`,
        [workspaceId, `seed-${i}`, text, new Date(t0 - 3600_000 + i * 1000), categoryId],
      );
      await client.query(
        `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id) VALUES ($1, $2::bigint, $3, 'label', 'import', $4)`,
        [workspaceId, rows[0].id, admins[0].id, categoryId],
      );
    }
    for (let i = 0; i < total; i++) {
      const text = `${LINES[i % LINES.length]}${i >= LINES.length ? ` (${i})` : ""}`;
      await client.query(
        `INSERT INTO excerpt (workspace_id, dedup_key, external_id, text, source, game, channel, conversation_id, speaker_id, occurred_at)
         VALUES ($1, $2, $2, $3, $4::"ExcerptSource", 'Arena', $5, $6, $7, $8)`,
        [
          workspaceId,
          `e2e-${i}`,
          text,
          i % 7 === 3 ? "voice" : "text",
          i % 2 ? "all" : "team",
          `match-${Math.floor(i / 8)}`,
          `player${i % 5}`,
          new Date(t0 + i * 7000),
        ],
      );
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    await client.end();
  }
  await trainAndScore(connectionString);
}

/** Trains the default model on the seeded labels, scores every excerpt into the queue and spaces its head, as `npm start` does. */
async function trainAndScore(connectionString: string): Promise<void> {
  const previousUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = connectionString;
  try {
    const { trainModelVersion } = await import("../../server/registry/train-model-version.ts");
    const { scorePendingExcerpts } = await import("../../server/model/score-pending-excerpts.ts");
    const { spaceQueueHead } = await import("../../server/queue/space-queue-head.ts");
    const { getPool, closePools } = await import("../../server/db/pool.ts");
    const { rows } = await getPool(connectionString).query<{ id: number }>(`SELECT id FROM workspace WHERE slug = 'default'`);
    const workspaceId = rows[0].id;
    await trainModelVersion({ workspaceId, activate: true });
    while ((await scorePendingExcerpts({ workspaceId })).scored > 0) {
      /* until every excerpt has a prediction */
    }
    await spaceQueueHead({ workspaceId });
    await closePools();
  } finally {
    process.env.DATABASE_URL = previousUrl;
  }
}
