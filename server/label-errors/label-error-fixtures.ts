import { fixtureLine } from "../model/model-fixtures.ts";
import { getPool } from "../db/pool.ts";

/**
 * A workspace whose labels hold planted errors, for the label-error tests: labelled chat lines with a
 * learnable signal, each labelled by a queue decision of moderator A or B; `planted` of A's labels
 * are wrong (an insult called non-toxic, a friendly line called an insult, …), and each planted line
 * has a twin (same text) that B labelled correctly, the near-duplicate evidence. A senior moderator,
 * an admin, a manager, held-out gold lines, and unlabelled lines to score. Plain SQL.
 */
export type TLabelErrorFixture = {
  workspaceId: number;
  categoryIds: { ok: number; insult: number; profanity: number };
  users: { a: number; b: number; senior: number; admin: number; manager: number };
  /** excerpt id → the true category, for the planted errors */
  planted: Map<string, number>;
  twinOf: Map<string, string>;
};

const KINDS = ["ok", "ok", "insult", "profanity"] as const;

export async function seedLabelErrorFixture(opts: {
  labelled: number;
  planted: number;
  heldOut: number;
  unlabelled: number;
  slug?: string;
}): Promise<TLabelErrorFixture> {
  const pool = getPool();
  const slug = opts.slug ?? "ws-label-errors";
  const { rows: ws } = await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name, random_share) VALUES ($1, $1, 0.1) RETURNING id`, [slug]);
  const workspaceId = ws[0].id;
  const cat = async (name: string, sort: number, isNonToxic: boolean) =>
    (
      await pool.query<{ id: number }>(`INSERT INTO category (workspace_id, name, sort_order, hotkey, is_non_toxic) VALUES ($1, $2, $3, $3, $4) RETURNING id`, [
        workspaceId,
        name,
        sort,
        isNonToxic,
      ])
    ).rows[0].id;
  const ids = { ok: await cat("Non-toxic", 1, true), insult: await cat("Insult", 2, false), profanity: await cat("Profanity", 3, false) };
  const user = async (key: string, role: string, isSenior = false) =>
    (
      await pool.query<{ id: number }>(`INSERT INTO app_user (email, name, password_hash, role, is_senior) VALUES ($1, $2, 'x', $3::"Role", $4) RETURNING id`, [
        `${key}@${slug}.test`,
        key,
        role,
        isSenior,
      ])
    ).rows[0].id;
  const users = {
    a: await user("moderator-a", "moderator"),
    b: await user("moderator-b", "moderator"),
    senior: await user("senior", "moderator", true),
    admin: await user("admin", "admin"),
    manager: await user("manager", "manager"),
  };

  type TRow = {
    text: string;
    truth: number | null;
    given: number | null;
    heldOut: boolean;
    by: number | null;
    conversation: string | null;
    role: "plant" | "twin" | "plain";
  };
  const rows: TRow[] = [];
  const wrongFor = (truth: number) => (truth === ids.ok ? ids.insult : ids.ok);
  // every (labelled / planted)-th line of A's is a planted error, spread over the kinds
  const step = Math.floor(opts.labelled / opts.planted);
  for (let i = 0; i < opts.labelled; i++) {
    const kind = KINDS[i % 4];
    const truth = ids[kind];
    const isPlant = i % step === step - 1 && rows.filter((r) => r.role === "plant").length < opts.planted;
    const text = `${fixtureLine(kind, i)} ${i}`;
    const by = isPlant || i % 2 === 0 ? users.a : users.b;
    rows.push({
      text,
      truth,
      given: isPlant ? wrongFor(truth) : truth,
      heldOut: false,
      by,
      conversation: `match-${Math.floor(i / 6)}`,
      role: isPlant ? "plant" : "plain",
    });
    // the twin: the same text in another match, labelled right by B
    if (isPlant) rows.push({ text, truth, given: truth, heldOut: false, by: users.b, conversation: `other-${i}`, role: "twin" });
  }
  for (let i = 0; i < opts.heldOut; i++) {
    const kind = KINDS[i % 4];
    rows.push({
      text: `${fixtureLine(kind, i + 3)} gold ${i}`,
      truth: ids[kind],
      given: ids[kind],
      heldOut: true,
      by: null,
      conversation: null,
      role: "plain",
    });
  }
  for (let i = 0; i < opts.unlabelled; i++)
    rows.push({ text: `${fixtureLine(KINDS[i % 4], i + 1)} u${i}`, truth: null, given: null, heldOut: false, by: null, conversation: null, role: "plain" });

  const { rows: inserted } = await pool.query<{ id: string; ord: number }>(
    `INSERT INTO excerpt (workspace_id, dedup_key, text, current_category_id, held_out, conversation_id, occurred_at)
     SELECT $1, 'k' || u.ord, u.text, u.category, u.held_out, u.conversation, timestamptz '2026-11-28 10:00:00+00' + u.ord * interval '1 second'
       FROM unnest($2::text[], $3::int[], $4::bool[], $5::text[]) WITH ORDINALITY AS u(text, category, held_out, conversation, ord)
     RETURNING id::text, (dedup_key::text) AS key, substr(dedup_key, 2)::int AS ord`,
    [workspaceId, rows.map((r) => r.text), rows.map((r) => r.given), rows.map((r) => r.heldOut), rows.map((r) => r.conversation)],
  );
  const idOf = new Map(inserted.map((r) => [r.ord - 1, r.id]));
  const labelled = rows.map((r, i) => ({ ...r, id: idOf.get(i)! })).filter((r) => r.by !== null);
  await pool.query(
    `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, created_at)
     SELECT $1, u.excerpt_id, u.user_id, 'label', 'queue', u.category_id, timestamptz '2026-11-29 10:00:00+00' + u.ord * interval '1 minute'
       FROM unnest($2::bigint[], $3::int[], $4::int[]) WITH ORDINALITY AS u(excerpt_id, user_id, category_id, ord)`,
    [workspaceId, labelled.map((r) => r.id), labelled.map((r) => r.by), labelled.map((r) => r.given)],
  );
  const planted = new Map<string, number>();
  const twinOf = new Map<string, string>();
  rows.forEach((r, i) => {
    if (r.role !== "plant") return;
    planted.set(idOf.get(i)!, r.truth!);
    twinOf.set(idOf.get(i)!, idOf.get(i + 1)!);
  });
  return { workspaceId, categoryIds: ids, users, planted, twinOf };
}
