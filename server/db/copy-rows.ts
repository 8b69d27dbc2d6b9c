import { StringDecoder } from "node:string_decoder";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { parseCopyLine } from "@/lib/text/copy-text.ts";
import { LineSplitter } from "@/lib/text/line-splitter.ts";
import { isEmbeddedDatabase } from "./embedded.ts";

/** A column to copy into: its name and the SQL type its text converts to. */
export type TCopyColumn = readonly [name: string, sqlType: string];

/**
 * Writes COPY-text lines (lib/text/copy-text.ts copyLine) into `table`. On PostgreSQL, COPY … FROM
 * STDIN. The embedded database cannot take it: its socket server hands each wire message to PGlite
 * separately, so the CopyData stream breaks the protocol ("protocol synchronization was lost"); there
 * the lines go in as one INSERT … SELECT FROM unnest(…) of typed arrays instead (slower, but the demo's
 * few thousand rows take well under a second).
 */
export async function copyLinesInto(client: pg.ClientBase, table: string, columns: readonly TCopyColumn[], payload: string | Buffer): Promise<void> {
  const names = columns.map(([name]) => name).join(", ");
  if (!isEmbeddedDatabase()) {
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyFrom(`COPY ${table} (${names}) FROM STDIN`));
      stream.on("finish", resolve);
      stream.on("error", reject);
      stream.end(payload);
    });
    return;
  }
  const values: (string | null)[][] = columns.map(() => []);
  for (const line of payload.toString().split("\n")) {
    if (line === "") continue;
    const fields = parseCopyLine(line);
    for (let c = 0; c < columns.length; c++) values[c].push(fields[c]);
  }
  const arrays = columns.map(([, sqlType], i) => `$${i + 1}::${sqlType}[]`).join(", ");
  await client.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`, values);
}

// The cursor path returns every column as the server's text, as COPY does.
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/**
 * A SELECT's rows as text fields (null for NULL), a batch at a time. On PostgreSQL, COPY … TO STDOUT,
 * which streams at the server's full speed with no round trips; the embedded database cannot stream
 * COPY out over its socket, so there a cursor is fetched `batchRows` at a time (call it inside a
 * transaction, as a cursor needs).
 */
export async function* readTextRows(client: pg.ClientBase, select: string, batchRows = 2000): AsyncGenerator<(string | null)[][]> {
  if (isEmbeddedDatabase()) {
    await client.query(`DECLARE copy_rows_cursor NO SCROLL CURSOR FOR ${select}`);
    for (;;) {
      const { rows } = await client.query<(string | null)[]>({ text: `FETCH ${batchRows} FROM copy_rows_cursor`, rowMode: "array", types: RAW_TEXT });
      if (rows.length) yield rows;
      if (rows.length < batchRows) break;
    }
    await client.query(`CLOSE copy_rows_cursor`);
    return;
  }
  const stream = client.query(copyTo(`COPY (${select}) TO STDOUT`));
  const decoder = new StringDecoder("utf8");
  const splitter = new LineSplitter();
  let batch: (string | null)[][] = [];
  for await (const chunk of stream) {
    for (const line of splitter.push(decoder.write(chunk as Buffer))) batch.push(parseCopyLine(line));
    if (batch.length >= batchRows) {
      yield batch;
      batch = [];
    }
  }
  for (const line of [...splitter.push(decoder.end()), ...splitter.end()]) batch.push(parseCopyLine(line));
  if (batch.length) yield batch;
}
