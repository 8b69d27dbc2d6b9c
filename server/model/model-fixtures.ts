import { getPool } from "../db/pool.ts";

/**
 * A workspace for the model tests: a taxonomy (non-toxic not first, so output order is exercised),
 * labelled chat lines with a learnable signal, unlabelled lines to score and held-out gold lines.
 * Plain SQL so the tests depend on the schema, not on the import code.
 */
export type TModelFixture = { workspaceId: number; categoryIds: { insult: number; ok: number; profanity: number; retired: number }; userId: number };

const FRIENDLY = [
  "gg wp everyone",
  "nice shot mate",
  "push mid now",
  "thanks for the heal",
  "good luck have fun",
  "wait for the team",
  "lets take dragon",
  "well played",
];
const INSULTS = ["you idiot", "what a loser", "uninstall you clown", "you are trash", "moron team", "dumb noob"];
const SWEARS = ["fuck this game", "shit team", "holy shit", "fucking lag", "damn bitch", "piss off"];

export function fixtureLine(kind: "ok" | "insult" | "profanity", i: number): string {
  const pool = kind === "ok" ? FRIENDLY : kind === "insult" ? INSULTS : SWEARS;
  return `${pool[i % pool.length]} ${["", "lol", "!!", "pls", "now"][i % 5]}`.trim();
}

export async function seedModelFixture(opts: { labelled: number; unlabelled: number; heldOut?: number; slug?: string }): Promise<TModelFixture> {
  const pool = getPool();
  const slug = opts.slug ?? "ws-model";
  const { rows: ws } = await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name, random_share) VALUES ($1, $1, 0.1) RETURNING id`, [slug]);
  const workspaceId = ws[0].id;
  const cat = async (name: string, sort: number, isNonToxic: boolean, isActive = true) =>
    (
      await pool.query<{ id: number }>(
        `INSERT INTO category (workspace_id, name, sort_order, is_non_toxic, is_active) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [workspaceId, name, sort, isNonToxic, isActive],
      )
    ).rows[0].id;
  const insult = await cat("Insult", 1, false);
  const ok = await cat("Non-toxic", 2, true);
  const profanity = await cat("Profanity", 3, false);
  const retired = await cat("Old spam", 4, false, false);
  const { rows: u } = await pool.query<{ id: number }>(
    `INSERT INTO app_user (email, name, password_hash, role) VALUES ($1, 'ds', 'x', 'data_scientist') RETURNING id`,
    [`ds@${slug}.test`],
  );
  const kinds = ["ok", "ok", "insult", "profanity"] as const;
  const ids = { ok, insult, profanity };
  const rows: { text: string; category: number | null; heldOut: boolean }[] = [];
  for (let i = 0; i < opts.labelled; i++) {
    const kind = kinds[i % 4];
    rows.push({ text: `${fixtureLine(kind, i)} #${i}`, category: ids[kind], heldOut: false });
  }
  for (let i = 0; i < (opts.heldOut ?? 0); i++) {
    const kind = kinds[i % 4];
    rows.push({ text: `${fixtureLine(kind, i + 3)} gold ${i}`, category: ids[kind], heldOut: true });
  }
  for (let i = 0; i < opts.unlabelled; i++) rows.push({ text: `${fixtureLine(kinds[i % 4], i + 1)} u${i}`, category: null, heldOut: false });
  // one label on a retired category: must be ignored by training
  rows.push({ text: "buy gold at cheap.biz", category: retired, heldOut: false });
  await pool.query(
    `INSERT INTO excerpt (workspace_id, dedup_key, text, current_category_id, held_out, occurred_at)
     SELECT $1, 'k' || u.ord, u.text, u.category, u.held_out, timestamptz '2026-11-28 10:00:00+00' + u.ord * interval '1 second'
       FROM unnest($2::text[], $3::int[], $4::bool[]) WITH ORDINALITY AS u(text, category, held_out, ord)`,
    [workspaceId, rows.map((r) => r.text), rows.map((r) => r.category), rows.map((r) => r.heldOut)],
  );
  return { workspaceId, categoryIds: { insult, ok, profanity, retired }, userId: u[0].id };
}
