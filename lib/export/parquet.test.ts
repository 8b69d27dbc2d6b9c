import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { ROW } from "./test-fixtures.ts";
import { createParquetStream } from "./parquet.ts";
import type { TExportRow } from "./row.ts";

function rows(n: number): TExportRow[] {
  return Array.from({ length: n }, (_, i) => ({
    ...ROW,
    id: String(i + 1),
    text: `line ${i} ${"x".repeat(i % 50)}`,
    labelIndex: i % 3,
    label: ["non-toxic", "insult", "threat"][i % 3],
    split: i % 5 === 0 ? "test" : "train",
    channel: i % 2 ? null : `ch${i % 7}`,
    modelScore: i % 4 ? null : i / n,
  }));
}

function write(batches: TExportRow[][], rowGroupSize?: number): { bytes: Uint8Array; chunks: number } {
  const chunks: Uint8Array[] = [];
  const stream = createParquetStream((c) => chunks.push(c), { rowGroupSize });
  for (const b of batches) stream.writeRows(b);
  stream.finish();
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    bytes.set(c, o);
    o += c.length;
  }
  return { bytes, chunks: chunks.length };
}

describe("createParquetStream", () => {
  it("round-trips rows written in batches, nulls and types included", async () => {
    const all = rows(25_000);
    const { bytes } = write([all.slice(0, 10_000), all.slice(10_000, 10_001), all.slice(10_001)], 8_192);
    const file = bytes.buffer as ArrayBuffer;
    const meta = parquetMetadata(file);
    expect(Number(meta.num_rows)).toBe(25_000);
    expect(meta.row_groups.length).toBeGreaterThan(3);
    const read = await parquetReadObjects({ file });
    expect(read.length).toBe(25_000);
    expect(read[0]).toMatchObject({ id: "1", label: "non-toxic", label_index: 0, channel: "ch0", model_score: 0, is_audit: true });
    expect(read[1].channel).toBeNull();
    expect(read[1].model_score).toBeNull();
    expect(read[24_999].text).toBe(all[24_999].text);
  });

  it("is byte-identical for the same rows and streams in chunks", () => {
    const all = rows(60_000);
    const a = write([all.slice(0, 30_000), all.slice(30_000)]);
    const b = write([all.slice(0, 30_000), all.slice(30_000)]);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.chunks).toBeGreaterThan(1);
  });

  it("writes a valid empty file", async () => {
    const { bytes } = write([]);
    expect(Number(parquetMetadata(bytes.buffer as ArrayBuffer).num_rows)).toBe(0);
  });
});
