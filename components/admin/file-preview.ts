/**
 * Reads the first part of an import file in the browser so the mapping form can offer the file's
 * own columns and label values. Only a preview: the server parses the whole file itself.
 */

const PREVIEW_BYTES = 256 * 1024;

export type TFilePreview = { columns: string[]; rows: Record<string, string>[] };

/** Minimal CSV line splitter for the preview (quotes and doubled quotes; no embedded newlines needed here). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let isQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (isQuoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') isQuoted = false;
      else cell += ch;
    } else if (ch === '"') isQuoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

export function previewText(text: string, format: "csv" | "jsonl"): TFilePreview {
  // drop the last (possibly cut-off) line of the preview window
  const lines = text.split(/\r?\n/).slice(0, -1).filter((l) => l.trim() !== "");
  if (format === "csv") {
    const [header, ...body] = lines;
    if (!header) return { columns: [], rows: [] };
    const columns = splitCsvLine(header.replace(/^\uFEFF/, "")).map((c) => c.trim());
    const rows = body.slice(0, 2000).map((l) => Object.fromEntries(splitCsvLine(l).map((v, i) => [columns[i] ?? `col${i}`, v])));
    return { columns, rows };
  }
  const rows: Record<string, string>[] = [];
  const columns = new Set<string>();
  for (const line of lines.slice(0, 2000)) {
    try {
      const obj = JSON.parse(line) as Record<string, unknown>;
      for (const key of Object.keys(obj)) columns.add(key);
      rows.push(Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v == null ? "" : String(v)])));
    } catch {
      /* malformed lines are reported by the server with their line numbers */
    }
  }
  return { columns: [...columns], rows };
}

export async function previewFile(file: File, format: "csv" | "jsonl"): Promise<TFilePreview> {
  const text = await file.slice(0, PREVIEW_BYTES).text();
  return previewText(file.size <= PREVIEW_BYTES ? `${text}\n` : text, format);
}
