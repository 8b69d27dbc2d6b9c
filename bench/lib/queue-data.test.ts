import pg from "pg";
import { describe, expect, it } from "vitest";
import { adminUrl } from "@/server/test/pg-urls.ts";
import { BENCH_EXCERPT_TEXT_SQL, benchExcerptText } from "./queue-data.ts";

describe("the queue benchmarks' generated excerpts", () => {
  it("are the texts the bench model was trained on: the SQL and the TypeScript write the same text", async () => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ g: number; text: string }>(`SELECT g, ${BENCH_EXCERPT_TEXT_SQL} AS text FROM generate_series(1, 200) g`);
      expect(rows).toHaveLength(200);
      for (const row of rows) expect(row.text).toBe(benchExcerptText(row.g));
    } finally {
      await client.end();
    }
  });
});
