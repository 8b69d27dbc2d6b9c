import type pg from "pg";
import type { TSnapshotParams } from "@/lib/export/params.ts";
import type { TDecisionInput } from "@/lib/export/resolve-label.ts";

/** One excerpt with its label and reversal decisions, as the cursor returns it. */
export type TLabelledExcerpt = {
  id: string;
  text: string;
  source: "text" | "voice";
  game: string | null;
  channel: string | null;
  conversationId: string | null;
  speakerId: string | null;
  occurredAt: string | null;
  heldOut: boolean;
  decisions: TDecisionInput[];
};

type TRaw = {
  id: string;
  text: string;
  source: "text" | "voice";
  game: string | null;
  channel: string | null;
  conversation_id: string | null;
  speaker_id: string | null;
  occurred_at: string | null;
  held_out: boolean;
  /** [id, kind, user_id, category_id, reverses_id, origin, is_audit, created_ms, model_version_id, suggested_category_id, suggested_confidence, toxic_score] */
  d: [string, TDecisionInput["kind"], number, number | null, string | null, string, boolean, number, number | null, number | null, number | null, number | null][];
};

const BATCH = 5_000;

/**
 * Streams every excerpt of the workspace that has a label (or reversal) decision, in excerpt id
 * order, BATCH rows at a time through a server-side cursor: the table is never held in memory.
 * The caller owns `client` and must have opened a REPEATABLE READ transaction, so that every row
 * comes from one consistent view of the data even while moderators keep labelling.
 */
export async function* readLabelledRows(
  client: pg.PoolClient,
  opts: { workspaceId: number; filters: TSnapshotParams["filters"]; cursorName?: string },
): AsyncGenerator<TLabelledExcerpt[]> {
  const where: string[] = ["e.workspace_id = $1"];
  const values: unknown[] = [opts.workspaceId];
  const add = (sql: (p: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  const f = opts.filters;
  if (f.from) add((p) => `coalesce(e.occurred_at, e.created_at) >= ${p}::timestamptz`, f.from);
  if (f.to) add((p) => `coalesce(e.occurred_at, e.created_at) < ${p}::timestamptz`, f.to);
  if (f.sources?.length) add((p) => `e.source::text = ANY(${p}::text[])`, f.sources);
  if (f.games?.length) add((p) => `e.game = ANY(${p}::text[])`, f.games);
  if (f.channels?.length) add((p) => `e.channel = ANY(${p}::text[])`, f.channels);

  const cursor = opts.cursorName ?? "snapshot_rows";
  // The decisions of each excerpt come as one JSON array (JSON.parse is far faster than pg's text-array
  // parser); the lateral subquery walks decision_excerpt_id_id_idx in excerpt order.
  await client.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR
     SELECT e.id::text AS id, e.text, e.source::text AS source, e.game, e.channel, e.conversation_id, e.speaker_id,
            to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at, e.held_out, d.d
     FROM excerpt e
     JOIN LATERAL (
       SELECT json_agg(json_build_array(x.id::text, x.kind, x.user_id, x.category_id, x.reverses_id::text, x.origin,
                                        x.is_audit, floor(extract(epoch FROM x.created_at) * 1000), x.model_version_id,
                                        x.suggested_category_id, x.suggested_confidence, x.toxic_score) ORDER BY x.id) AS d
       FROM decision x
       WHERE x.excerpt_id = e.id AND x.kind IN ('label', 'reversal')
     ) d ON d.d IS NOT NULL
     WHERE ${where.join(" AND ")}
     ORDER BY e.id`,
    values,
  );
  try {
    for (;;) {
      const { rows } = await client.query<TRaw>(`FETCH ${BATCH} FROM ${cursor}`);
      if (rows.length === 0) break;
      yield rows.map(toExcerpt);
      if (rows.length < BATCH) break;
    }
  } finally {
    await client.query(`CLOSE ${cursor}`).catch(() => {});
  }
}

function toExcerpt(r: TRaw): TLabelledExcerpt {
  return {
    id: r.id,
    text: r.text,
    source: r.source,
    game: r.game,
    channel: r.channel,
    conversationId: r.conversation_id,
    speakerId: r.speaker_id,
    occurredAt: r.occurred_at,
    heldOut: r.held_out,
    decisions: r.d.map((x) => ({
      id: x[0],
      kind: x[1],
      userId: x[2],
      categoryId: x[3],
      reversesId: x[4],
      origin: x[5],
      isAudit: x[6],
      createdAtMs: x[7],
      modelVersionId: x[8],
      suggestedCategoryId: x[9],
      suggestedConfidence: x[10],
      toxicScore: x[11],
    })),
  };
}
