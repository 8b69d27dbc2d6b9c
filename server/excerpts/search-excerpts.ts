import { z } from "zod";
import { ZBigIntId, ZIntId } from "@/lib/http/ids.ts";
import { getPool } from "../db/pool.ts";
import { inTransaction } from "../db/transaction.ts";
import type { TExcerptRow, TExcerptPage } from "@/lib/excerpts/contract.ts";
export type { TExcerptRow, TExcerptPage } from "@/lib/excerpts/contract.ts";

const ZOptionalNumber = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : Number(v)))
  .pipe(z.number().min(0).max(1).optional());
const ZOptionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? new Date(v) : undefined))
  .refine((d) => d === undefined || !Number.isNaN(d.getTime()), "Use a date like 2026-11-28");

/** Query-string filters of GET /api/excerpts/search (all optional; strings because they come from a URL). */
export const ZExcerptSearch = z.object({
  q: z.string().trim().max(200).optional(),
  categoryId: ZIntId.optional(),
  status: z.enum(["all", "labelled", "unlabelled"]).default("all"),
  source: z.enum(["text", "voice"]).optional(),
  minScore: ZOptionalNumber,
  maxScore: ZOptionalNumber,
  from: ZOptionalDate,
  to: ZOptionalDate,
  /** keyset cursor: the last excerpt id of the previous page */
  cursor: ZBigIntId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TExcerptSearch = z.infer<typeof ZExcerptSearch>;

type TSearchOptions = {
  workspaceId: number;
  activeModelVersionId: number | null;
  filters: TExcerptSearch;
  /** tests: a small cap exercises the many-matches plan on a small table (default TEXT_MATCH_CAP) */
  textMatchCap?: number;
};

/**
 * A text search with fewer matches than this collects them all from the full-text index and sorts them;
 * with more, walking the newest ids and keeping the matching lines finds a page sooner.
 */
export const TEXT_MATCH_CAP = 20_000;

/**
 * How many lines of the workspace match `q`, counting no further than `cap`, answered from the full-text
 * index alone (a bitmap scan; the line-by-line scans are switched off for this one statement's transaction).
 */
async function countTextMatches(workspaceId: number, q: string, cap: number): Promise<number> {
  const rows = await inTransaction(
    async (client) =>
      (
        await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM (
             SELECT 1 FROM excerpt e WHERE e.workspace_id = $1 AND to_tsvector('simple', e.text) @@ plainto_tsquery('simple', $2) LIMIT $3) s`,
          [workspaceId, q, cap],
        )
      ).rows,
    { settings: { enable_seqscan: "off", enable_indexscan: "off" } },
  );
  return rows[0].n;
}

/**
 * Keyset-paginated search, newest id first. Every filter maps onto an index: text search onto the
 * GIN index on to_tsvector('simple', text), the score range onto prediction(excerpt_id, model_version_id),
 * and the id cursor onto the primary key, so page N costs the same as page 1 at 1M rows.
 * Dates filter on when the line was said (occurred_at), falling back to import time.
 *
 * Text search guards against a planner trap (bench/search.ts measured it): for "newest first, 51 rows",
 * PostgreSQL chooses between walking the primary key backwards, running to_tsvector on each line until 51
 * match, and collecting every match from the GIN index then sorting. It chooses on ANALYZE's sampled word
 * frequencies, and a rare word whose frequency the sample overstates sends it down the primary key: ~60,000
 * lines tokenised for one page of a word in 1 line of 1,250, 0.6–0.8 s instead of 7 ms, flipping with each
 * ANALYZE. So a search first counts its matches from the index alone (up to TEXT_MATCH_CAP); below the cap
 * the ORDER BY is written so the primary key cannot serve it, and the index answers.
 */
export async function searchExcerpts({ workspaceId, activeModelVersionId, filters, textMatchCap = TEXT_MATCH_CAP }: TSearchOptions): Promise<TExcerptPage> {
  const params: unknown[] = [workspaceId];
  const where: string[] = ["e.workspace_id = $1"];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filters.q) add((p) => `to_tsvector('simple', e.text) @@ plainto_tsquery('simple', ${p})`, filters.q);
  if (filters.categoryId) add((p) => `e.current_category_id = ${p}`, filters.categoryId);
  if (filters.status === "labelled") where.push("e.current_category_id IS NOT NULL");
  if (filters.status === "unlabelled") where.push("e.current_category_id IS NULL");
  if (filters.source) add((p) => `e.source = ${p}::"ExcerptSource"`, filters.source);
  if (filters.from) add((p) => `COALESCE(e.occurred_at, e.created_at) >= ${p}`, filters.from);
  if (filters.to) add((p) => `COALESCE(e.occurred_at, e.created_at) < ${p}`, filters.to);
  if (filters.cursor) add((p) => `e.id < ${p}::bigint`, filters.cursor);

  const hasScoreFilter = filters.minScore !== undefined || filters.maxScore !== undefined;
  params.push(activeModelVersionId ?? -1);
  const modelParam = `$${params.length}`;
  if (filters.minScore !== undefined) add((p) => `p.toxic_score >= ${p}`, filters.minScore);
  if (filters.maxScore !== undefined) add((p) => `p.toxic_score <= ${p}`, filters.maxScore);
  params.push(filters.limit + 1);
  // "e.id + 0" sorts the same, but no index provides that order: see the function comment
  const isFewTextMatches = filters.q ? (await countTextMatches(workspaceId, filters.q, textMatchCap)) < textMatchCap : false;

  const sql = `
    SELECT e.id::text AS id, e.text, e.source, e.game, e.channel, e.conversation_id AS "conversationId",
           e.speaker_id AS "speakerId", e.occurred_at AS "occurredAt", e.current_category_id AS "currentCategoryId",
           p.toxic_score AS "toxicScore", p.suggested_category_id AS "suggestedCategoryId"
    FROM excerpt e
    ${hasScoreFilter ? "JOIN" : "LEFT JOIN"} prediction p ON p.excerpt_id = e.id AND p.model_version_id = ${modelParam}
    WHERE ${where.join(" AND ")}
    ORDER BY ${isFewTextMatches ? "e.id + 0" : "e.id"} DESC
    LIMIT $${params.length}`;
  const { rows } = await getPool().query<TExcerptRow & { occurredAt: Date | null }>(sql, params);
  const hasMore = rows.length > filters.limit;
  const page = rows.slice(0, filters.limit).map((r) => ({ ...r, occurredAt: r.occurredAt ? new Date(r.occurredAt).toISOString() : null }));
  return { rows: page, nextCursor: hasMore ? page[page.length - 1].id : null, activeModelVersionId };
}
