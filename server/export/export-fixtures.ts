import type pg from "pg";

/**
 * A small, fully deterministic labelled workspace for export tests (vitest and the Python load tests):
 * conversations, near-duplicate lines across conversations, text and voice, agreement, a tied vote,
 * an undone label, audit-slice and held-out rows, and model suggestions.
 */
export type TExportFixture = {
  workspaceId: number;
  slug: string;
  categoryIds: Record<"non-toxic" | "insult" | "threat" | "spam", number>;
  userIds: Record<"mod1" | "mod2" | "mod3" | "scientist", number>;
  excerpts: number;
};

const TEMPLATES = [
  ["gg wp everyone", "non-toxic"],
  ["nice shot, well played", "non-toxic"],
  ["you are trash, uninstall", "insult"],
  ["worst support ever, noob", "insult"],
  ["i will find you and hurt you", "threat"],
  ["buy cheap gold at goldz.example", "spam"],
  ['=HYPERLINK("http://evil") click', "spam"],
  ["report this idiot", "insult"],
  ["can we push mid", "non-toxic"],
  ["gl hf", "non-toxic"],
] as const;

export async function seedExportFixture(pool: pg.Pool, opts: { slug?: string; excerpts?: number } = {}): Promise<TExportFixture> {
  const slug = opts.slug ?? `export-fixture-${Math.random().toString(36).slice(2, 8)}`;
  const n = opts.excerpts ?? 400;
  const ws = await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ($1, 'Export fixture') RETURNING id`, [slug]);
  const workspaceId = ws.rows[0].id;
  const categoryIds = {} as TExportFixture["categoryIds"];
  for (const [i, name] of (["non-toxic", "insult", "threat", "spam"] as const).entries()) {
    const c = await pool.query<{ id: number }>(
      `INSERT INTO category (workspace_id, name, sort_order, is_non_toxic, is_active, hotkey) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [workspaceId, name, i, i === 0, name !== "spam", name !== "spam" ? i + 1 : null],
    );
    categoryIds[name] = c.rows[0].id;
  }
  const userIds = {} as TExportFixture["userIds"];
  for (const name of ["mod1", "mod2", "mod3", "scientist"] as const) {
    const u = await pool.query<{ id: number }>(
      `INSERT INTO app_user (email, name, password_hash, role) VALUES ($1, $2, 'x', $3) ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [`${name}-${slug}@example.test`, name, name === "scientist" ? "data_scientist" : "moderator"],
    );
    userIds[name] = u.rows[0].id;
  }
  const mv = await pool.query<{ id: number }>(
    `INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx, category_ids) VALUES ($1, 'linear-fixture-1', 'hashed-linear', 'active', '{}', '\\x00', $2) RETURNING id`,
    [workspaceId, Object.values(categoryIds)],
  );
  const modelVersionId = mv.rows[0].id;

  const base = Date.UTC(2026, 9, 1);
  for (let i = 0; i < n; i++) {
    const [template, labelName] = TEMPLATES[i % TEMPLATES.length];
    // every 4th line repeats a template verbatim in another conversation (near-duplicates across conversations)
    const text = i % 4 === 0 ? `${template.toUpperCase()}!!!` : `${template} #${i}`;
    const conversation = i % 23 === 0 ? null : `match-${Math.floor(i / 5)}`;
    const e = await pool.query<{ id: string }>(
      `INSERT INTO excerpt (workspace_id, dedup_key, external_id, text, source, game, channel, conversation_id, speaker_id, occurred_at, held_out)
       VALUES ($1, $2, $2, $3, $4::"ExcerptSource", $5, $6, $7, $8, $9, $10) RETURNING id::text`,
      [
        workspaceId,
        `x-${i}`,
        text,
        i % 3 === 0 ? "voice" : "text",
        i % 2 ? "dota2" : "cs2",
        `ch-${i % 4}`,
        conversation,
        `p${i % 9}`,
        new Date(base + i * 60_000),
        i % 19 === 0,
      ],
    );
    const excerptId = e.rows[0].id;
    if (i % 10 === 9) continue; // unlabelled
    const category = categoryIds[labelName];
    const other = labelName === "non-toxic" ? categoryIds.insult : categoryIds["non-toxic"];
    const at = (k: number) => new Date(base + i * 60_000 + k * 1000);
    const decide = async (user: number, categoryId: number, k: number, extra: { audit?: boolean; reverses?: string } = {}) => {
      const r = await pool.query<{ id: string }>(
        `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, category_id, reverses_id, model_version_id, suggested_category_id,
                               suggested_confidence, toxic_score, is_audit, created_at)
         VALUES ($1, $2, $3, $4::"DecisionKind", $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id::text`,
        [
          workspaceId,
          excerptId,
          user,
          extra.reverses ? "reversal" : "label",
          extra.reverses ? null : categoryId,
          extra.reverses ?? null,
          modelVersionId,
          category,
          0.5 + (i % 50) / 100,
          (i % 10) / 10,
          extra.audit ?? false,
          at(k),
        ],
      );
      return r.rows[0].id;
    };
    const first = await decide(userIds.mod1, category, 1, { audit: i % 17 === 0 });
    if (i % 7 === 0) await decide(userIds.mod2, category, 2);
    if (i % 11 === 0) await decide(userIds.mod3, other, 3); // with i % 7 === 0 too: 2 vs 1; else a 1–1 tie
    if (i % 13 === 0) await decide(userIds.mod1, 0, 4, { reverses: first }); // undone: only others' votes remain
    await pool.query(`UPDATE excerpt SET current_category_id = $2 WHERE id = $1`, [excerptId, category]);
  }
  return { workspaceId, slug, categoryIds, userIds, excerpts: n };
}
