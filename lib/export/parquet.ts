import { ByteWriter, ParquetWriter, schemaFromColumnData } from "hyparquet-writer";
import { EXPORT_COLUMNS, type TColumn, type TExportRow } from "./row.ts";

/**
 * Streaming Parquet: rows arrive in batches, each batch becomes row groups, and encoded bytes go to
 * `sink` whenever about 1 MB is buffered, so memory stays at one batch however many rows there are.
 * Pure (no fs): the caller's sink appends to a file and feeds a checksum.
 */

const FLUSH_BYTES = 1 << 20;
// Nearly every value differs in these: skip the dictionary attempt and min/max statistics (useless
// for free text, and the two costliest steps of encoding a row group).
const MOSTLY_UNIQUE = new Set(["id", "text", "occurred_at"]);
const TYPE = { string: "STRING", int: "INT32", float: "DOUBLE", bool: "BOOLEAN" } as const;

export type TParquetStream = {
  writeRows: (rows: readonly TExportRow[]) => void;
  finish: () => void;
};

export function createParquetStream(sink: (chunk: Uint8Array) => void, opts: { rowGroupSize?: number } = {}): TParquetStream {
  const rowGroupSize = opts.rowGroupSize ?? 65_536;
  const writer = new ByteWriter(FLUSH_BYTES * 2);
  const flush = () => {
    if (writer.index === 0) return;
    // copy: the buffer is reused after this returns
    sink(new Uint8Array(writer.buffer, 0, writer.index).slice());
    writer.index = 0;
  };
  const ensure = writer.ensure.bind(writer);
  writer.ensure = (size: number) => {
    if (writer.index > FLUSH_BYTES) flush();
    ensure(size);
  };
  // hyparquet calls flush after every row group: hand each finished group to the sink
  (writer as unknown as { flush: () => void }).flush = flush;
  writer.finish = flush;
  const schema = schemaFromColumnData({
    columnData: EXPORT_COLUMNS.map((c) => ({ name: c.name, data: [], type: TYPE[c.kind], nullable: c.nullable })),
  });
  // createdBy is fixed (no version or time) so equal rows give byte-identical files
  const parquet = new ParquetWriter({ writer, schema, createdBy: "modloop", codec: "SNAPPY" });
  return {
    writeRows(rows) {
      if (rows.length === 0) return;
      parquet.write({
        columnData: EXPORT_COLUMNS.map((c) =>
          MOSTLY_UNIQUE.has(c.name)
            ? { name: c.name, data: columnValues(rows, c), encoding: "PLAIN" as const, statistics: false }
            : { name: c.name, data: columnValues(rows, c) },
        ),
        rowGroupSize,
      });
    },
    finish() {
      parquet.finish();
    },
  };
}

function columnValues(rows: readonly TExportRow[], c: TColumn): unknown[] {
  const out = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = rows[i][c.field];
  return out;
}
