import { formatDateTime } from "@/lib/format/date.ts";

/** Shared number formatting of the registry: metrics as 0.912, missing as an en dash. */
export const num = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(digits));
export const pct = (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(digits)}%`);
export const signed = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined ? "–" : `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(digits)}`;
/** "28 Nov 2026, 14:05": month names, never "11/12/26" (lib/format/date.ts). */
export const when = (iso: string | null) => formatDateTime(iso);
