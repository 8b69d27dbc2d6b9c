import { MAX_TEXT_CHARS } from "./row.ts";
import type { TImportError, TSkippedGroup } from "./types.ts";

/** Distinct reasons kept; further reasons are counted under OTHER_REASONS so memory stays bounded. */
export const MAX_SKIP_GROUPS = 200;
/** line numbers kept across all groups (the counts stay exact beyond it) */
export const MAX_SKIPPED_LINES = 100_000;
export const OTHER_REASONS = "other reasons (too many different ones to list)";

// Reasons whose wording carries the row's particulars (a position, a length, a line), and the
// shared wording their group gets; the particulars stay in the row's own reason.
const GROUPS: [RegExp, string][] = [
  [/^not valid JSON/, "not valid JSON"],
  [/is not valid UTF-8/, "not valid UTF-8 (save the file as UTF-8 and import it again)"],
  [/^a quoted field opened on line \d+ is/, 'a quote opened on this line is never closed (a quote inside a value must be doubled: "")'],
  [/^text is longer than \d+ characters/, `text is longer than ${MAX_TEXT_CHARS} characters`],
];

/** The group a reason belongs to in the summary (the reason itself unless it carries particulars). */
export function reasonGroup(error: TImportError): string {
  if (error.group) return error.group;
  for (const [pattern, group] of GROUPS) if (pattern.test(error.reason)) return group;
  return error.reason;
}

/**
 * Counts skipped rows by reason as an import reads them, keeping their line numbers, so the summary
 * can say "12 rows: unknown label "spam" (lines 4, 9, …)" however large the file. Pure.
 */
export function createSkipTally() {
  const groups = new Map<string, TSkippedGroup>();
  let keptLines = 0;
  return {
    add(error: TImportError): void {
      const key = reasonGroup(error);
      let group = groups.get(key);
      if (!group) {
        const reason = groups.size < MAX_SKIP_GROUPS ? key : OTHER_REASONS;
        group = groups.get(reason) ?? { reason, count: 0, lines: [] };
        groups.set(reason, group);
      }
      group.count++;
      if (keptLines < MAX_SKIPPED_LINES) {
        const hasDetail = error.reason !== group.reason;
        if (hasDetail && !group.details) group.details = group.lines.map(() => group.reason);
        group.lines.push(error.line);
        group.details?.push(error.reason);
        keptLines++;
      }
    },
    /** largest groups first; lines in file order */
    groups(): TSkippedGroup[] {
      return [...groups.values()]
        .map((g) => {
          const order = g.lines.map((_, i) => i).sort((a, b) => g.lines[a] - g.lines[b]);
          const sorted: TSkippedGroup = { reason: g.reason, count: g.count, lines: order.map((i) => g.lines[i]) };
          if (g.details) sorted.details = order.map((i) => g.details![i]);
          return sorted;
        })
        .sort((a, b) => b.count - a.count || (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
    },
  };
}

/** "3, 7, 9–12, 20" — runs of consecutive lines collapsed, at most `max` items then "… (N more)". */
export function formatLineList(lines: readonly number[], max = 20): string {
  const items: string[] = [];
  let i = 0;
  while (i < lines.length) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) j++;
    items.push(j > i ? `${lines[i]}–${lines[j]}` : `${lines[i]}`);
    i = j + 1;
  }
  return items.length > max ? `${items.slice(0, max).join(", ")}, … (${items.length - max} more)` : items.join(", ");
}

const csvCell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The "skipped lines" download: one row per skipped line, `line,reason`, sorted by line. */
export function skippedLinesCsv(groups: readonly TSkippedGroup[]): string {
  const rows = groups.flatMap((g) => g.lines.map((line, i) => [line, g.details?.[i] ?? g.reason] as const)).sort((a, b) => a[0] - b[0]);
  return ["line,reason", ...rows.map(([line, reason]) => `${line},${csvCell(reason)}`)].join("\n") + "\n";
}

/** The CLI's grouped report: a block per reason, with its lines (and each line's particulars, a few). */
export function formatSkippedGroups(groups: readonly TSkippedGroup[], maxDetails = 10): string[] {
  return groups.map((g) => {
    const missing = g.count - g.lines.length;
    const head = `  ${String(g.count).padStart(6)} × ${g.reason}`;
    if (g.details) {
      const shown = g.details.slice(0, maxDetails).map((d, i) => `           line ${g.lines[i]}: ${d}`);
      const more = g.lines.length - shown.length + missing;
      return [head, ...shown, ...(more > 0 ? [`           … and ${more} more`] : [])].join("\n");
    }
    return `${head}\n           line${g.lines.length === 1 ? "" : "s"} ${formatLineList(g.lines)}${missing > 0 ? ` (+${missing} not kept)` : ""}`;
  });
}
