import { StringDecoder } from "node:string_decoder";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { decodeCopyField, LineSplitter } from "@/lib/export/copy-text.ts";
import type { TSnapshotParams } from "@/lib/export/params.ts";
import type { TDecisionInput } from "@/lib/export/resolve-label.ts";

/** One excerpt with its label and reversal decisions, as read from the database. */
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

  const sql = `COPY (
    SELECT e.id, e.text, e.source, e.game, e.channel, e.conversation_id, e.speaker_id,
           to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), e.held_out,
           x.id, x.kind, x.user_id, x.category_id, x.reverses_id, x.origin, x.is_audit,
           floor(extract(epoch FROM x.created_at) * 1000)::bigint, x.model_version_id, x.suggested_category_id,
           x.suggested_confidence, x.toxic_score
    FROM excerpt e JOIN decision x ON x.excerpt_id = e.id
    WHERE ${where.join(" AND ")} AND x.kind IN ('label', 'reversal')
    ORDER BY e.id, x.id
  ) TO STDOUT`;
  const stream = client.query(copyTo(sql));
  const decoder = new StringDecoder("utf8");
  const splitter = new LineSplitter();
  let batch: TLabelledExcerpt[] = [];
  let current: TLabelledExcerpt | null = null;

  const take = (line: string) => {
    const c = line.split("\t");
    if (c.length !== 21) throw new Error(`export read: expected 21 columns from COPY, got ${c.length}`);
    const id = c[0];
    if (!current || current.id !== id) {
      if (current) batch.push(current);
      current = {
        id,
        text: decodeCopyField(c[1]) ?? "",
        source: c[2] as "text" | "voice",
        game: decodeCopyField(c[3]),
        channel: decodeCopyField(c[4]),
        conversationId: decodeCopyField(c[5]),
        speakerId: decodeCopyField(c[6]),
        occurredAt: c[7] === "\\N" ? null : c[7],
        heldOut: c[8] === "t",
        decisions: [],
      };
    }
    current.decisions.push({
      id: c[9],
      kind: c[10] as TDecisionInput["kind"],
      userId: Number(c[11]),
      categoryId: c[12] === "\\N" ? null : Number(c[12]),
      reversesId: c[13] === "\\N" ? null : c[13],
      origin: c[14],
      isAudit: c[15] === "t",
      createdAtMs: Number(c[16]),
      modelVersionId: c[17] === "\\N" ? null : Number(c[17]),
      suggestedCategoryId: c[18] === "\\N" ? null : Number(c[18]),
      suggestedConfidence: c[19] === "\\N" ? null : Number(c[19]),
      toxicScore: c[20] === "\\N" ? null : Number(c[20]),
    });
  };

  for await (const chunk of stream) {
    for (const line of splitter.push(decoder.write(chunk as Buffer))) take(line);
    // the excerpt being read may still get decisions from the next chunk: only full ones leave
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  for (const line of splitter.push(decoder.end())) take(line);
  for (const line of splitter.end()) take(line);
  if (current) batch.push(current);
  if (batch.length) yield batch;
}
