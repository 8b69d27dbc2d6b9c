import { INVALID_UTF8, readLines, UnusableInputError, type TImportInput, type TParsedRow } from "./lines.ts";

/*
 * A small RFC 4180 reader instead of csv-parse: csv-parse (7.0.3) counts lines wrongly once a
 * quoted field holds a CRLF, and after a stray quote it swallows the rows that follow. Here every
 * row carries the exact line it starts on, a bad row costs only itself, and an unclosed quote is
 * reported on its own line while the lines after it are read again as normal rows. The same goes
 * for a quote left open on one line and closed by a stray quote a few lines later: the record that
 * results is broken (a stray character after the quote, or the wrong number of fields), so its first
 * line is reported and the lines after it are read again, each imported or reported on its own.
 */

const QUOTE = 34;

// An unclosed quote otherwise eats the rest of the file: give up on the record after this much
// and re-read the lines after its first one.
const MAX_RECORD_LINES = 200;
const MAX_RECORD_CHARS = 1024 * 1024;

type TRecordState = {
  fields: string[];
  /** the quoted field being read, when the record continues on the next line */
  field: string;
  isInQuotes: boolean;
  startLine: number;
  /** raw lines of an unfinished record, kept so they can be re-read if the quote never closes */
  pending: string[];
  chars: number;
  /** the first line of the record that was not valid UTF-8 */
  invalidLine: number | null;
};

const freshState = (startLine: number): TRecordState => ({ fields: [], field: "", isInQuotes: false, startLine, pending: [], chars: 0, invalidLine: null });

/**
 * Continues the record in `s` with one physical line.
 * Returns "done" (record complete), "open" (inside a quoted field: needs the next line) or an error reason.
 */
function readLineInto(s: TRecordState, line: string, delimiter: string): "done" | "open" | string {
  const n = line.length;
  let i = 0;
  for (;;) {
    if (s.isInQuotes) {
      const q = line.indexOf('"', i);
      if (q < 0) {
        s.field += line.slice(i) + "\n";
        return "open";
      }
      s.field += line.slice(i, q);
      if (line.charCodeAt(q + 1) === QUOTE) {
        s.field += '"';
        i = q + 2;
        continue;
      }
      s.isInQuotes = false;
      i = q + 1;
      // tolerate spaces between the closing quote and the delimiter (common in hand-written files)
      while (i < n && (line[i] === " " || line[i] === "\t") && line[i] !== delimiter) i++;
      s.fields.push(s.field);
      s.field = "";
      if (i >= n) return "done";
      if (line[i] !== delimiter) {
        return `unexpected ${JSON.stringify(line[i])} after the closing quote of field ${s.fields.length} (a quote inside a quoted field must be doubled: "")`;
      }
      i++;
      if (i >= n) {
        s.fields.push("");
        return "done";
      }
      continue;
    }
    // at the start of a field
    if (line.charCodeAt(i) === QUOTE) {
      s.isInQuotes = true;
      i++;
      continue;
    }
    const d = line.indexOf(delimiter, i);
    if (d < 0) {
      s.fields.push(line.slice(i));
      return "done";
    }
    s.fields.push(line.slice(i, d));
    i = d + 1;
    if (i >= n) {
      s.fields.push("");
      return "done";
    }
  }
}

export type TCsvOptions = {
  delimiter?: string;
  /** called with the header once, before any row; may throw UnusableInputError to refuse the file */
  onHeader?: (columns: string[]) => void;
};

/**
 * Streams a CSV file as batches of parsed rows. The first non-empty record is the header; each
 * later record becomes `{ column: value }` or an error naming its line (wrong field count, stray
 * quote, unclosed quote). Blank lines are skipped.
 */
export async function* parseCsv(input: TImportInput, options: TCsvOptions = {}): AsyncGenerator<TParsedRow[]> {
  const delimiter = options.delimiter ?? ",";
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n") throw new UnusableInputError(`unusable CSV delimiter ${JSON.stringify(delimiter)}`);
  let header: string[] | null = null;
  let state: TRecordState | null = null;

  function complete(fields: string[], line: number, out: TParsedRow[]): void {
    if (!header) {
      header = fields.map((f) => f.trim());
      if (header.every((h) => h === "")) throw new UnusableInputError(`the header on line ${line} has no column names`);
      options.onHeader?.(header);
      return;
    }
    if (fields.length !== header.length) {
      out.push({ line, error: `expected ${header.length} fields (as in the header), found ${fields.length}: is a comma inside an unquoted value?` });
      return;
    }
    const record: Record<string, unknown> = {};
    for (let f = 0; f < header.length; f++) {
      // the first of two same-named columns wins, matching how the header was resolved
      if (!(header[f] in record)) record[header[f]] = fields[f];
    }
    out.push({ line, record });
  }

  // absolute numbers of lines that were not valid UTF-8 and are not read yet (kept for re-reading)
  const invalidLines = new Set<number>();

  // Feeds lines starting at source line `firstLine`; re-feeds itself when a quote never closes.
  function feed(lines: string[], firstLine: number, out: TParsedRow[]): void {
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k];
      const lineNo = firstLine + k;
      const isInvalid = invalidLines.size > 0 && invalidLines.has(lineNo);
      if (!state) {
        if (line.trim() === "") {
          invalidLines.delete(lineNo);
          continue;
        }
        if (isInvalid) {
          if (!header) throw new UnusableInputError(`the header on line ${lineNo} is ${INVALID_UTF8}`);
          invalidLines.delete(lineNo);
          out.push({ line: lineNo, error: `line ${lineNo} is ${INVALID_UTF8}` });
          continue;
        }
        state = freshState(lineNo);
      }
      const s: TRecordState = state;
      if (isInvalid) s.invalidLine ??= lineNo;
      const result = readLineInto(s, line, delimiter);
      if (result === "open") {
        s.pending.push(line);
        s.chars += line.length;
        if (s.pending.length >= MAX_RECORD_LINES || s.chars >= MAX_RECORD_CHARS) {
          giveUpOnQuote(out);
        }
        continue;
      }
      state = null;
      const isMultiLine = s.pending.length > 0;
      if (result === "done" && isMultiLine && header) {
        const width = (header as string[]).length;
        if (s.fields.length !== width) {
          rereadAfterBrokenQuote(s, line, lineNo, `it ends on line ${lineNo} with ${s.fields.length} fields instead of ${width}`, out);
          continue;
        }
        const swallowed = swallowedRow(s.pending, s.startLine, width);
        if (swallowed !== null) {
          rereadAfterBrokenQuote(s, line, lineNo, `line ${swallowed} inside it reads as a row of its own`, out);
          continue;
        }
      }
      for (let l = s.startLine; l <= lineNo; l++) invalidLines.delete(l);
      if (result === "done") {
        if (s.invalidLine !== null) {
          if (!header) throw new UnusableInputError(`the header on line ${s.invalidLine} is ${INVALID_UTF8}`);
          out.push({
            line: s.startLine,
            error: `line ${s.invalidLine}${isMultiLine ? ` (in the record starting on line ${s.startLine})` : ""} is ${INVALID_UTF8}`,
          });
        } else {
          complete(s.fields, s.startLine, out);
        }
      } else if (!header) throw new UnusableInputError(`the header on line ${s.startLine} cannot be read: ${result}`);
      else if (isMultiLine) rereadAfterBrokenQuote(s, line, lineNo, result, out);
      else out.push({ line: s.startLine, error: result });
    }
  }

  /**
   * A record that ran over several lines and then turned out broken: most likely a quote opened by
   * mistake on its first line and "closed" by a stray quote further down. Report the first line and
   * read the following ones again as rows of their own.
   */
  /**
   * A multi-line quoted field whose inner lines are complete rows of the file's shape was opened by
   * mistake: real line breaks inside a message do not hold a row's worth of delimiters. Only asked
   * with two columns or more (with one, every line would look like a row).
   */
  function swallowedRow(pending: string[], startLine: number, width: number): number | null {
    if (width < 2) return null;
    for (let k = 1; k < pending.length; k++) {
      if (pending[k].charCodeAt(0) === QUOTE) continue;
      const probe = freshState(startLine + k);
      if (readLineInto(probe, pending[k], delimiter) === "done" && probe.fields.length === width) return startLine + k;
    }
    return null;
  }

  function rereadAfterBrokenQuote(s: TRecordState, line: string, _lineNo: number, why: string, out: TParsedRow[]): void {
    out.push({
      line: s.startLine,
      error: `a quoted field opened on line ${s.startLine} is not closed on that line (${why})${why.includes('""') ? "" : ': a quote inside a value must be doubled ("")'}`,
    });
    feed([...s.pending.slice(1), line], s.startLine + 1, out);
  }

  function giveUpOnQuote(out: TParsedRow[]): void {
    const s = state as TRecordState;
    state = null;
    if (!header) throw new UnusableInputError(`the header on line ${s.startLine} has a quote that is never closed`);
    invalidLines.delete(s.startLine);
    out.push({ line: s.startLine, error: `a quoted field opened on line ${s.startLine} is never closed` });
    feed(s.pending.slice(1), s.startLine + 1, out);
  }

  for await (const batch of readLines(input)) {
    const out: TParsedRow[] = [];
    if (batch.invalid) for (const k of batch.invalid) invalidLines.add(batch.firstLine + k);
    feed(batch.lines, batch.firstLine, out);
    if (out.length > 0) yield out;
  }
  const out: TParsedRow[] = [];
  // an unclosed quote at the end of the file: report it and read the lines it swallowed
  while (state) giveUpOnQuote(out);
  if (!header) throw new UnusableInputError("the file is empty: expected a header line and rows");
  if (out.length > 0) yield out;
}
