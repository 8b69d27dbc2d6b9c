import { z } from "zod";
import { ZBigIntId, ZIntId } from "@/lib/http/ids.ts";
import { getPool } from "../db/pool.ts";
import type { TExcerptRow, TExcerptPage } from "@/lib/excerpts/contract.ts";

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
  /** tests: small id spans exercise the windowed text plan on a small table (default TEXT_WINDOWS) */
  textWindows?: readonly number[];
};

/**
 * A text search looks for its page in id windows below the cursor (or the newest id), each ten times the
 * last, before it searches everything that is left: see searchExcerpts.
 */
export const TEXT_WINDOWS = [2_000, 20_000, 200_000, 2_000_000] as const;

/**
 * Keyset-paginated search, newest id first. Every filter maps onto an index: text search onto the
 * GIN index on to_tsvector('simple', text), a category or "unlabelled" onto (workspace_id,
 * current_category_id, id), the score range onto prediction(excerpt_id, model_version_id), and the id cursor
 * onto the primary key, so page N costs the same as page 1. Dates filter on when the line was said
 * (occurred_at), falling back to import time. There is no total count: a count of a common word's matches
 * at 10M excerpts costs seconds, and the page does not need it (limit + 1 rows tell whether there is more).
 *
 * Text search cannot leave the choice of plan to PostgreSQL. For "newest first, 51 rows" it chooses between
 * walking the primary key backwards, running to_tsvector on each line until 51 match, and collecting every
 * match from the GIN index then sorting, on ANALYZE's sampled word frequencies: a rare word whose frequency
 * the sample overstates walks ~60,000 lines (0.6–0.8 s at 1M), a common word collected whole sorts millions.
 * An exact count first to decide cost 4–8 s at 10M (bench/scale.ts). So the search walks windows of ids
 * instead, newest first: the newest 2,000 ids line by line (a word in more than ~3% of lines fills its page
 * there), then spans of 20,000, 200,000 and 2,000,000 ids below, each answered by the GIN index ANDed with
 * the primary key's range (the ORDER BY is written so the primary key cannot serve it), and finally
 * everything below the last window — reached only by a word with fewer than 51 matches in the newest
 * ~2.2M ids, so few matches overall that collecting and sorting them is cheap. A window's rows are final (every
 * newer id was looked at), so the page is exact, and the cost follows the rarity of the word, bounded.
 */
export async function searchExcerpts({ workspaceId, activeModelVersionId, filters, textWindows = TEXT_WINDOWS }: TSearchOptions): Promise<TExcerptPage> {
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

  const hasScoreFilter = filters.minScore !== undefined || filters.maxScore !== undefined;
  params.push(activeModelVersionId ?? -1);
  const modelParam = `$${params.length}`;
  if (filters.minScore !== undefined) add((p) => `p.toxic_score >= ${p}`, filters.minScore);
  if (filters.maxScore !== undefined) add((p) => `p.toxic_score <= ${p}`, filters.maxScore);

  const want = filters.limit + 1;
  const pool = getPool();
  /** rows with lo < id <= hi (either bound open when null), newest first; "e.id + 0" keeps the primary key from driving */
  const page = async (lo: bigint | null, hi: bigint | null, limit: number, isIndexFirst: boolean) => {
    const bounds = [...params];
    const range: string[] = [];
    if (lo !== null) {
      bounds.push(lo.toString());
      range.push(`e.id > $${bounds.length}::bigint`);
    }
    if (hi !== null) {
      bounds.push(hi.toString());
      range.push(`e.id <= $${bounds.length}::bigint`);
    }
    bounds.push(limit);
    const sql = `
      SELECT e.id::text AS id, e.text, e.source, e.game, e.channel, e.conversation_id AS "conversationId",
             e.speaker_id AS "speakerId", e.occurred_at AS "occurredAt", e.current_category_id AS "currentCategoryId",
             p.toxic_score AS "toxicScore", p.suggested_category_id AS "suggestedCategoryId"
      FROM excerpt e
      ${hasScoreFilter ? "JOIN" : "LEFT JOIN"} prediction p ON p.excerpt_id = e.id AND p.model_version_id = ${modelParam}
      WHERE ${[...where, ...range].join(" AND ")}
      ORDER BY ${isIndexFirst ? "e.id + 0" : "e.id"} DESC
      LIMIT $${bounds.length}`;
    return (await pool.query<TExcerptRow & { occurredAt: Date | null }>(sql, bounds)).rows;
  };

  let rows: (TExcerptRow & { occurredAt: Date | null })[];
  if (!filters.q) {
    rows = await page(null, filters.cursor ? BigInt(filters.cursor) - 1n : null, want, false);
  } else {
    rows = [];
    let hi = filters.cursor
      ? BigInt(filters.cursor) - 1n
      : BigInt((await pool.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM excerpt`)).rows[0].id ?? "0");
    for (const [i, span] of textWindows.entries()) {
      if (hi < 1n) break;
      const lo = hi - BigInt(span);
      rows.push(...(await page(lo, hi, want - rows.length, i > 0)));
      hi = lo;
      if (rows.length >= want) break;
    }
    if (rows.length < want && hi >= 1n) rows.push(...(await page(null, hi, want - rows.length, true)));
  }
  const hasMore = rows.length > filters.limit;
  const shown = rows.slice(0, filters.limit).map((r) => ({ ...r, occurredAt: r.occurredAt ? new Date(r.occurredAt).toISOString() : null }));
  return { rows: shown, nextCursor: hasMore ? shown[shown.length - 1].id : null, activeModelVersionId };
}
