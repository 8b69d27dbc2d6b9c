import bcrypt from "bcryptjs";
import pg from "pg";
import { DEMO_PASSWORD, DEMO_USERS, type TDemoUser } from "../../lib/demo/demo-users.ts";
import { isAuditSample, queuePriority } from "../../lib/ranking/rank.ts";

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
      await client.query(`INSERT INTO app_user (email, name, password_hash, role) VALUES ($1, $2, $3, $4::"Role")`, [user.email, user.name, hash, user.role]);
    }
    const { rows: mv } = await client.query<{ id: number }>(
      `INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx, category_ids)
       VALUES ($1, 'e2e-1', 'linear', 'active', '{}', '\\x00', $2) RETURNING id`,
      [workspaceId, categoryIds],
    );
    const modelVersionId = mv[0].id;
    await client.query(`UPDATE workspace SET active_model_version_id = $2 WHERE id = $1`, [workspaceId, modelVersionId]);

    const t0 = Date.parse("2026-11-28T18:00:00Z");
    for (let i = 0; i < total; i++) {
      const text = `${LINES[i % LINES.length]}${i >= LINES.length ? ` (${i})` : ""}`;
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO excerpt (workspace_id, dedup_key, external_id, text, source, game, channel, conversation_id, speaker_id, occurred_at)
         VALUES ($1, $2, $2, $3, $4::"ExcerptSource", 'Arena', $5, $6, $7, $8) RETURNING id::text`,
        [workspaceId, `e2e-${i}`, text, i % 7 === 3 ? "voice" : "text", i % 2 ? "all" : "team", `match-${Math.floor(i / 8)}`, `player${i % 5}`, new Date(t0 + i * 7000)],
      );
      const excerptId = rows[0].id;
      // deterministic, varied probabilities; the top class follows the line's content loosely
      const raw = categoryIds.map((_, k) => 1 + ((i * (k + 3)) % 7) + (k === (i % 6) ? 6 : 0));
      const sum = raw.reduce((a, b) => a + b, 0);
      const probs = raw.map((x) => x / sum);
      const top = probs.indexOf(Math.max(...probs));
      const { priority, isFlagged } = queuePriority({
        probs,
        nonToxicIndex: 0,
        threshold: 0.5,
        strategy: "least_confidence",
        excerptId,
        occurredAtMs: t0 + i * 7000,
      });
      const { rows: pred } = await client.query<{ id: string }>(
        `INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
         VALUES ($1::bigint, $2, $3, $4, $5, $6) RETURNING id::text`,
        [excerptId, modelVersionId, probs, 1 - probs[0], categoryIds[top], probs[top]],
      );
      await client.query(
        `INSERT INTO queue_item (excerpt_id, workspace_id, priority, is_audit, is_flagged, prediction_id)
         VALUES ($1::bigint, $2, $3, $4, $5, $6::bigint)`,
        [excerptId, workspaceId, priority, isAuditSample(excerptId, 0.1), isFlagged, pred[0].id],
      );
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    await client.end();
  }
}
