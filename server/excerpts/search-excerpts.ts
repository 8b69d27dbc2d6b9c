import { z } from "zod";
import { ZBigIntId, ZIntId } from "@/lib/http/ids.ts";
import { getPool } from "../db/pool.ts";
import { inTransaction } from "../db/transaction.ts";
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
  /** tests: short walks exercise the text plan's index pass on a small table (default TEXT_WALK) */
  textWalk?: { first: number; cap: number };
  /** tests: a short walk exercises the date range's GIN pass on a small table (default DATE_WALK) */
  dateWalk?: number;
};

/**
 * A text search reads the newest `first` lines below the cursor one by one, walks on (up to `cap` lines in
 * all) while the matches found say the page is that near, and has the GIN index collect the rest: see
 * searchExcerpts.
 */
export const TEXT_WALK = { first: 2_000, cap: 8_000 } as const;

/** When a line was said: occurred_at, or the import time when the file had none (excerpt_workspace_said_idx). */
const SAID = "COALESCE(e.occurred_at, e.created_at)";
/** Lines of a date range read one by one for words before the GIN index is asked (see searchExcerpts). */
const DATE_WALK = 2_000;

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
 * An exact count first to decide cost 4–8 s at 10M (bench/scale.ts). So the search samples instead: it reads
 * the newest 2,000 lines below the cursor one by one along the primary key (a word in more than ~3% of lines
 * fills its page there); if it found some matches, their density says how many more lines the page needs, and
 * it walks on while that stays within 8,000 lines in all, and beyond that looks in id windows from that
 * distance, each ten times the last (the GIN index ANDed with the primary key's range); with no match at all
 * (a word this rare near the top) the GIN index collects every match below the walked lines and they are
 * sorted (the ORDER BY is written so the primary key cannot serve it; exact bitmap, see page()). The walked lines are final (every newer id was
 * looked at), so the page is exact whichever way it ends; the walk costs at most 8,000 tokenised lines, a
 * window its range, the collection the word's matches. (Windows for a word with no match near the top spent
 * more on building range bitmaps, ~1 µs per id, than collecting: 0.6–0.9 s for a rare word at 10M.)
 */
export async function searchExcerpts({
  workspaceId,
  activeModelVersionId,
  filters,
  textWalk = TEXT_WALK,
  dateWalk = DATE_WALK,
}: TSearchOptions): Promise<TExcerptPage> {
  const params: unknown[] = [workspaceId];
  const where: string[] = ["e.workspace_id = $1"];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filters.categoryId) add((p) => `e.current_category_id = ${p}`, filters.categoryId);
  if (filters.status === "labelled") where.push("e.current_category_id IS NOT NULL");
  if (filters.status === "unlabelled") where.push("e.current_category_id IS NULL");
  if (filters.source) add((p) => `e.source = ${p}::"ExcerptSource"`, filters.source);
  if (filters.from) add((p) => `${SAID} >= ${p}`, filters.from);
  if (filters.to) add((p) => `${SAID} < ${p}`, filters.to);
  const excerptWhere = [...where];
  const excerptParams = [...params];

  const hasScoreFilter = filters.minScore !== undefined || filters.maxScore !== undefined;
  params.push(activeModelVersionId ?? -1);
  const modelParam = `$${params.length}`;
  if (filters.minScore !== undefined) add((p) => `p.toxic_score >= ${p}`, filters.minScore);
  if (filters.maxScore !== undefined) add((p) => `p.toxic_score <= ${p}`, filters.maxScore);
  const scoreWhere = where.slice(excerptWhere.length);
  if (filters.q) add((p) => `to_tsvector('simple', e.text) @@ plainto_tsquery('simple', ${p})`, filters.q);
  const textWhere = filters.q ? where[where.length - 1] : null;

  const want = filters.limit + 1;
  const pool = getPool();
  /** rows with lo < id <= hi (either bound open when null), newest first; "e.id + 0" keeps the primary key from driving */
  // "walk": the window is read line by line along the primary key (its newest `span` ids, no more), whatever
  // the planner thinks of the words: the GIN index's posting list of a common word (300,000 lines at 10M)
  // costs more to read than the few hundred lines that fill its page
  const page = async (lo: bigint | null, hi: bigint | null, limit: number, order: "walk" | "index" | "key") => {
    const bounds = [...params];
    const range: string[] = ["e.workspace_id = $1"];
    if (lo !== null) {
      bounds.push(lo.toString());
      range.push(`e.id > $${bounds.length}::bigint`);
    }
    if (hi !== null) {
      bounds.push(hi.toString());
      range.push(`e.id <= $${bounds.length}::bigint`);
    }
    bounds.push(limit);
    const source = order === "walk" ? `(SELECT * FROM excerpt e WHERE ${range.join(" AND ")} ORDER BY e.id DESC LIMIT ${Number(hi! - lo!)})` : "excerpt";
    const sql = `
      SELECT e.id::text AS id, e.text, e.source, e.game, e.channel, e.conversation_id AS "conversationId",
             e.speaker_id AS "speakerId", e.occurred_at AS "occurredAt", e.current_category_id AS "currentCategoryId",
             p.toxic_score AS "toxicScore", p.suggested_category_id AS "suggestedCategoryId"
      FROM ${source} e
      ${hasScoreFilter ? "JOIN" : "LEFT JOIN"} prediction p ON p.excerpt_id = e.id AND p.model_version_id = ${modelParam}
      WHERE ${[...where, ...(order === "walk" ? [] : range.slice(1))].join(" AND ")}
      ORDER BY ${order === "index" ? "e.id + 0" : "e.id"} DESC
      LIMIT $${bounds.length}`;
    if (order !== "index") return (await pool.query<TExcerptRow & { occurredAt: Date | null }>(sql, bounds)).rows;
    // An index window ANDs the word's posting list with up to 2M ids of the primary key. In the default 4 MB
    // the bitmap goes lossy and every line of the window's pages is tokenised again (30 s for a word with a
    // score filter at 10M); 64 MB keeps it exact for the statement. JIT off: the estimates pass its threshold,
    // and compiling costs more than these statements.
    return inTransaction(async (client) => (await client.query<TExcerptRow & { occurredAt: Date | null }>(sql, bounds)).rows, {
      settings: { work_mem: "65536", jit: "off" }, // 64 MB, in kB
    });
  };

  const select = `
      SELECT e.id::text AS id, e.text, e.source, e.game, e.channel, e.conversation_id AS "conversationId",
             e.speaker_id AS "speakerId", e.occurred_at AS "occurredAt", e.current_category_id AS "currentCategoryId",
             p.toxic_score AS "toxicScore", p.suggested_category_id AS "suggestedCategoryId"
      FROM excerpt e
      ${hasScoreFilter ? "JOIN" : "LEFT JOIN"} prediction p ON p.excerpt_id = e.id AND p.model_version_id = ${modelParam}`;
  /** rows said before the row `id` (same time: lower id), as a keyset condition on (SAID, id) */
  const before = (b: unknown[], id: string) => {
    b.push(id);
    return `(${SAID}, e.id) < ((SELECT COALESCE(x.occurred_at, x.created_at) FROM excerpt x WHERE x.id = $${b.length}::bigint), $${b.length}::bigint)`;
  };

  let rows: (TExcerptRow & { occurredAt: Date | null })[];
  if (filters.from || filters.to) {
    // A date range pages by when the line was said, newest first (ties by id), along
    // excerpt_workspace_said_idx: ordered by id, September's lines at 10M sat under 3.6M newer ids to walk
    // past (6 s). Without words, the index gives the page directly.
    const b = [...params];
    const cursor = filters.cursor ? [before(b, filters.cursor)] : [];
    b.push(want);
    if (!textWhere) {
      rows = (await pool.query(`${select} WHERE ${[...where, ...cursor].join(" AND ")} ORDER BY ${SAID} DESC, e.id DESC LIMIT $${b.length}`, b)).rows;
    } else {
      // With words: the newest DATE_WALK lines of the range first, line by line (a common word fills its page
      // there); what the page still lacks then comes from the GIN index, restricted to the range and to lines
      // said before the walk's last one, and sorted (the ORDER BY is written so the date index cannot serve
      // it) — a word that rare in the range has few matches to sort.
      const w = [...excerptParams];
      const walkCursor = filters.cursor ? [before(w, filters.cursor)] : [];
      w.push(dateWalk);
      const walked = (
        await pool.query<{ id: string }>(
          `SELECT e.id::text AS id FROM excerpt e WHERE ${[...excerptWhere, ...walkCursor].join(" AND ")} ORDER BY ${SAID} DESC, e.id DESC LIMIT $${w.length}`,
          w,
        )
      ).rows.map((r) => r.id);
      const inWalk = [...params];
      inWalk.push(walked);
      const idsParam = `$${inWalk.length}`;
      inWalk.push(want);
      rows = (
        await pool.query(
          `${select} WHERE e.id = ANY (${idsParam}::bigint[]) AND ${[...excerptWhere, ...scoreWhere, textWhere].join(" AND ")}
           ORDER BY ${SAID} DESC, e.id DESC LIMIT $${inWalk.length}`,
          inWalk,
        )
      ).rows;
      if (rows.length < want && walked.length === dateWalk) {
        const rest = [...params];
        const after = before(rest, walked[walked.length - 1]);
        rest.push(want - rows.length);
        rows.push(
          ...(
            await pool.query(
              `${select} WHERE ${[...where, after].join(" AND ")} ORDER BY ${SAID} + interval '0 seconds' DESC, e.id DESC LIMIT $${rest.length}`,
              rest,
            )
          ).rows,
        );
      }
    }
  } else if (!filters.q) {
    rows = await page(null, filters.cursor ? BigInt(filters.cursor) - 1n : null, want, "key");
  } else {
    rows = [];
    let hi = filters.cursor
      ? BigInt(filters.cursor) - 1n
      : BigInt((await pool.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM excerpt`)).rows[0].id ?? "0");
    if (hasScoreFilter) {
      // a score filter matches only lines the active model has scored: start below the newest of them (lines
      // imported since the last scoring would otherwise be windows walked for nothing: 30 s at 10M for
      // "smoke" with a score, the newest million not yet scored). One entry of the (excerpt_id, model) index.
      const newest = (
        await pool.query<{ id: string | null }>(`SELECT excerpt_id::text AS id FROM prediction WHERE model_version_id = $1 ORDER BY excerpt_id DESC LIMIT 1`, [
          activeModelVersionId ?? -1,
        ])
      ).rows[0]?.id;
      hi = newest === undefined || newest === null ? 0n : hi < BigInt(newest) ? hi : BigInt(newest);
    }
    const walk = async (span: number) => {
      const lo = hi - BigInt(span);
      rows.push(...(await page(lo, hi, want - rows.length, "walk")));
      hi = lo;
    };
    let walked = 0;
    if (hi >= 1n) {
      await walk(textWalk.first);
      walked = textWalk.first;
    }
    // the matches so far say how dense the word is: walk on as far as the page should need, if that is near
    let needed = 0;
    while (rows.length > 0 && rows.length < want && hi >= 1n) {
      needed = Math.max(1, Math.ceil(((want - rows.length) / rows.length) * walked * 1.5));
      if (walked + needed > textWalk.cap) break;
      await walk(needed);
      walked += needed;
    }
    // Matches, but too sparse to walk to (a common word with a selective score filter): id windows from the
    // estimated distance, each ten times the last, the GIN index ANDed with the primary key's range (a common
    // word collected whole joins its 300,000 lines at 10M: 4 s).
    for (let span = needed; rows.length > 0 && rows.length < want && hi >= 1n && span <= textWalk.cap * 1000; span *= 10) {
      const lo = hi - BigInt(span);
      rows.push(...(await page(lo, hi, want - rows.length, "index")));
      hi = lo;
    }
    if (rows.length < want && hi >= 1n) rows.push(...(await page(null, hi, want - rows.length, "index")));
  }
  const hasMore = rows.length > filters.limit;
  const shown = rows.slice(0, filters.limit).map((r) => ({ ...r, occurredAt: r.occurredAt ? new Date(r.occurredAt).toISOString() : null }));
  return { rows: shown, nextCursor: hasMore ? shown[shown.length - 1].id : null, activeModelVersionId };
}
