import type pg from "pg";
import { readTextRows } from "../db/copy-rows.ts";
import type { TExcerptOrigin } from "@/lib/excerpts/contract.ts";
import type { TSnapshotParams } from "@/lib/export/params.ts";
import type { TDecisionInput } from "@/lib/export/resolve-label.ts";

/** One excerpt with its label and reversal decisions, as read from the database. */
export type TLabelledExcerpt = TExcerptOrigin & {
  id: string;
  externalId: string | null;
  heldOut: boolean;
  decisions: TDecisionInput[];
};

const BATCH = 5_000;

/**
 * Streams every excerpt of the workspace that has a label (or reversal) decision, in excerpt id
 * order, in batches. One row per decision comes through COPY … TO STDOUT (a merge join of the excerpt
 * primary key with decision_excerpt_id_id_idx, so already in (excerpt, decision) order) and is folded
 * into its excerpt here: the server streams at full speed, with no cursor round trips and nothing
 * held in memory beyond one batch. The caller owns `client` and must have opened a REPEATABLE READ
 * transaction, so every row comes from one consistent view while moderators keep labelling.
 */
export async function* readLabelledRows(
  client: pg.PoolClient,
  opts: { workspaceId: number; filters: TSnapshotParams["filters"] },
): AsyncGenerator<TLabelledExcerpt[]> {
  // COPY takes no bind parameters: every value is an integer or goes through escapeLiteral.
  const lit = (s: string) => client.escapeLiteral(s);
  const list = (xs: readonly string[]) => `ARRAY[${xs.map(lit).join(",")}]::text[]`;
  const where: string[] = [`e.workspace_id = ${Number(opts.workspaceId) | 0}`];
  const f = opts.filters;
  if (f.from) where.push(`coalesce(e.occurred_at, e.created_at) >= ${lit(f.from)}::timestamptz`);
  if (f.to) where.push(`coalesce(e.occurred_at, e.created_at) < ${lit(f.to)}::timestamptz`);
  if (f.sources?.length) where.push(`e.source::text = ANY(${list(f.sources)})`);
  if (f.games?.length) where.push(`e.game = ANY(${list(f.games)})`);
  if (f.channels?.length) where.push(`e.channel = ANY(${list(f.channels)})`);

  const select = `
    SELECT e.id::text, e.text, e.source::text, e.game, e.channel, e.conversation_id, e.speaker_id,
           to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), CASE WHEN e.held_out THEN 't' ELSE 'f' END,
           x.id::text, x.kind::text, x.user_id::text, x.category_id::text, x.reverses_id::text, x.origin::text,
           CASE WHEN x.is_audit THEN 't' ELSE 'f' END, floor(extract(epoch FROM x.created_at) * 1000)::bigint::text,
           x.model_version_id::text, x.suggested_category_id::text, x.suggested_confidence::text, x.toxic_score::text,
           e.external_id
    FROM excerpt e JOIN decision x ON x.excerpt_id = e.id
    WHERE ${where.join(" AND ")} AND x.kind IN ('label', 'reversal')
    ORDER BY e.id, x.id`;
  let batch: TLabelledExcerpt[] = [];
  let current: TLabelledExcerpt | null = null;
  const num = (v: string | null) => (v === null ? null : Number(v));
  const take = (c: (string | null)[]) => {
    if (c.length !== 22) throw new Error(`export read: expected 22 columns, got ${c.length}`);
    const id = c[0]!;
    if (!current || current.id !== id) {
      if (current) batch.push(current);
      current = {
        id,
        externalId: c[21],
        text: c[1] ?? "",
        source: c[2] as "text" | "voice",
        game: c[3],
        channel: c[4],
        conversationId: c[5],
        speakerId: c[6],
        occurredAt: c[7],
        heldOut: c[8] === "t",
        decisions: [],
      };
    }
    current.decisions.push({
      id: c[9]!,
      kind: c[10] as TDecisionInput["kind"],
      userId: Number(c[11]),
      categoryId: num(c[12]),
      reversesId: c[13],
      origin: c[14]!,
      isAudit: c[15] === "t",
      createdAtMs: Number(c[16]),
      modelVersionId: num(c[17]),
      suggestedCategoryId: num(c[18]),
      suggestedConfidence: num(c[19]),
      toxicScore: num(c[20]),
    });
  };

  // COPY TO STDOUT on PostgreSQL, a cursor on the embedded database (server/db/copy-rows.ts)
  for await (const rows of readTextRows(client, select, BATCH)) {
    for (const r of rows) take(r);
    // the excerpt being read may still get decisions from the next rows: only full ones leave
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (current) batch.push(current);
  if (batch.length) yield batch;
}
