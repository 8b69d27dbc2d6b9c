import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { getExcerptHistory } from "./get-excerpt-history.ts";
import { searchExcerpts, ZExcerptSearch } from "./search-excerpts.ts";

let drop: () => Promise<void>;
let workspaceId: number;
let modelVersionId: number;
let toxicCategoryId: number;

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  const pool = getPool();
  workspaceId = (await pool.query(`INSERT INTO workspace (slug, name) VALUES ('default', 'W') RETURNING id`)).rows[0].id;
  const cats = await pool.query(
    `INSERT INTO category (workspace_id, name, hotkey, is_non_toxic) VALUES ($1, 'ok', 1, true), ($1, 'insult', 2, false) RETURNING id`,
    [workspaceId],
  );
  toxicCategoryId = cats.rows[1].id;
  modelVersionId = (
    await pool.query(
      `INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx, category_ids) VALUES ($1, 'v1', 'linear', 'active', '{}', '\\x00', $2) RETURNING id`,
      [workspaceId, cats.rows.map((r) => r.id)],
    )
  ).rows[0].id;
  // 30 lines in one conversation; every third is labelled insult; toxic score i/30; odd ones are voice
  await pool.query(
    `INSERT INTO excerpt (workspace_id, dedup_key, text, source, conversation_id, speaker_id, occurred_at, current_category_id)
     SELECT $1, 'k' || g, CASE WHEN g % 5 = 0 THEN 'you noob ' || g ELSE 'nice play ' || g END,
            (CASE WHEN g % 2 = 1 THEN 'voice' ELSE 'text' END)::"ExcerptSource", 'conv', 'p' || (g % 3),
            timestamptz '2026-11-01 00:00Z' + g * interval '1 day', CASE WHEN g % 3 = 0 THEN $2::int END
     FROM generate_series(1, 30) g`,
    [workspaceId, toxicCategoryId],
  );
  await pool.query(
    `INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
     SELECT id, $1, ARRAY[1 - n / 30.0, n / 30.0]::real[], n / 30.0, $2, 0.5
     FROM (SELECT id, substring(dedup_key, 2)::int AS n FROM excerpt) e`,
    [modelVersionId, toxicCategoryId],
  );
  await pool.query(`UPDATE workspace SET active_model_version_id = $1`, [modelVersionId]);
});
afterAll(() => drop());

const search = (q: Record<string, string>) => searchExcerpts({ workspaceId, activeModelVersionId: modelVersionId, filters: ZExcerptSearch.parse(q) });
const numbers = (rows: { text: string }[]) => rows.map((r) => Number(r.text.split(" ").at(-1)));

describe("searchExcerpts", () => {
  it("pages newest-first by keyset without gaps or repeats", async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await search({ limit: "7", ...(cursor ? { cursor } : {}) });
      seen.push(...numbers(page.rows));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
  });

  it("combines text, label status, category, source, score and date filters", async () => {
    expect(numbers((await search({ q: "noob" })).rows)).toEqual([30, 25, 20, 15, 10, 5]);
    expect(numbers((await search({ q: "noob", status: "labelled" })).rows)).toEqual([30, 15]);
    expect(numbers((await search({ q: "noob", status: "unlabelled" })).rows)).toEqual([25, 20, 10, 5]);
    expect(numbers((await search({ categoryId: String(toxicCategoryId), source: "voice" })).rows)).toEqual([27, 21, 15, 9, 3]);
    expect(numbers((await search({ minScore: "0.5", maxScore: "0.6" })).rows)).toEqual([18, 17, 16, 15]);
    expect(numbers((await search({ from: "2026-11-05", to: "2026-11-08" })).rows)).toEqual([6, 5, 4]);
  });

  it("text search pages exactly however far it walks before the index collects the rest (one line, a few, all)", async () => {
    const pages = async (textWalk: { first: number; cap: number }, q: Record<string, string>, limit: string) => {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await searchExcerpts({
          workspaceId,
          activeModelVersionId: modelVersionId,
          textWalk,
          filters: ZExcerptSearch.parse({ ...q, limit, ...(cursor ? { cursor } : {}) }),
        });
        seen.push(...numbers(page.rows));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return seen;
    };
    const all = Array.from({ length: 30 }, (_, i) => 30 - i);
    const expected: [Record<string, string>, number[]][] = [
      [{ q: "nice" }, all.filter((n) => n % 5 !== 0)],
      [{ q: "noob", minScore: "0.3" }, all.filter((n) => n % 5 === 0 && n / 30 >= 0.3)],
      [{ q: "play", source: "voice" }, all.filter((n) => n % 5 !== 0 && n % 2 === 1)],
      [{ q: "noob", status: "unlabelled" }, all.filter((n) => n % 5 === 0 && n % 3 !== 0)],
    ];
    for (const walk of [
      { first: 1, cap: 1 },
      { first: 1, cap: 4 },
      { first: 2, cap: 12 },
      { first: 1000, cap: 1000 },
    ]) {
      for (const [q, want] of expected) {
        for (const limit of ["2", "50"]) expect(await pages(walk, q, limit)).toEqual(want);
      }
    }
  });

  it("a date range pages by when the line was said, exactly, whether its words fill the page in the walk or need the index", async () => {
    const pages = async (dateWalk: number, q: Record<string, string>, limit: string) => {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await searchExcerpts({
          workspaceId,
          activeModelVersionId: modelVersionId,
          dateWalk,
          filters: ZExcerptSearch.parse({ ...q, limit, ...(cursor ? { cursor } : {}) }),
        });
        seen.push(...numbers(page.rows));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return seen;
    };
    // line g was said on 2026-11-01 + g days
    const inRange = Array.from({ length: 30 }, (_, i) => 30 - i).filter((n) => n >= 4 && n < 25);
    const range = { from: "2026-11-05", to: "2026-11-26" };
    const expected: [Record<string, string>, number[]][] = [
      [range, inRange],
      [{ ...range, q: "nice" }, inRange.filter((n) => n % 5 !== 0)],
      [{ ...range, q: "noob", minScore: "0.3" }, inRange.filter((n) => n % 5 === 0 && n / 30 >= 0.3)],
      [{ ...range, q: "play", source: "voice" }, inRange.filter((n) => n % 5 !== 0 && n % 2 === 1)],
      [{ ...range, q: "noob", status: "labelled" }, inRange.filter((n) => n % 5 === 0 && n % 3 === 0)],
    ];
    for (const dateWalk of [1, 3, 1000]) {
      for (const [q, want] of expected) {
        for (const limit of ["2", "50"]) expect(await pages(dateWalk, q, limit)).toEqual(want);
      }
    }
  });

  it("shows the active model's score and rejects an out-of-range score filter", async () => {
    const { rows } = await search({ limit: "1" });
    expect(rows[0].toxicScore).toBeCloseTo(1, 5);
    expect(() => ZExcerptSearch.parse({ minScore: "2" })).toThrow();
  });
});

describe("getExcerptHistory", () => {
  it("returns the excerpt, its conversation in order around it, and its predictions", async () => {
    const { rows } = await search({ q: "noob 15" });
    const history = await getExcerptHistory({ workspaceId, excerptId: rows[0].id, conversationWindow: 3 });
    expect(history.excerpt.text).toBe("you noob 15");
    expect(history.conversation.map((l) => l.text.split(" ").at(-1))).toEqual(["12", "13", "14", "15", "16", "17", "18"]);
    expect(history.predictions).toHaveLength(1);
    expect(history.predictions[0].isActive).toBe(true);
  });

  it("answers NOT_FOUND for an unknown id", async () => {
    await expect(getExcerptHistory({ workspaceId, excerptId: "999999" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
