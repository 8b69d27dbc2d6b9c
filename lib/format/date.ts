/**
 * The one date formatter of the UI. Dates are written day-month-name-year ("28 Nov 2026"), never
 * "11/12/26", which reads as two different days on either side of the Atlantic; times are 24-hour.
 * `timeZone` defaults to the runtime's own (the browser's, in client components); pass "UTC" where
 * the server and the browser must render the same text.
 */
type TDateInput = Date | string | number | null | undefined;
type TOptions = { timeZone?: string };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function toDate(value: TDateInput): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

type TParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function partsOf(d: Date, timeZone?: string): TParts {
  if (!timeZone) {
    return { year: d.getFullYear(), month: d.getMonth(), day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() };
  }
  if (timeZone === "UTC") {
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth(),
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const fmt = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    hourCycle: "h23",
  });
  const get = (type: string) => Number(fmt.formatToParts(d).find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month") - 1, day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "28 Nov 2026"; `fallback` for a missing or invalid date. */
export function formatDate(value: TDateInput, { timeZone, fallback = "–" }: TOptions & { fallback?: string } = {}): string {
  const d = toDate(value);
  if (!d) return fallback;
  const p = partsOf(d, timeZone);
  return `${p.day} ${MONTHS[p.month]} ${p.year}`;
}

/** "28 Nov 2026, 14:05" (with `seconds`: "14:05:09"). */
export function formatDateTime(
  value: TDateInput,
  { timeZone, seconds = false, fallback = "–" }: TOptions & { seconds?: boolean; fallback?: string } = {},
): string {
  const d = toDate(value);
  if (!d) return fallback;
  const p = partsOf(d, timeZone);
  return `${p.day} ${MONTHS[p.month]} ${p.year}, ${pad(p.hour)}:${pad(p.minute)}${seconds ? `:${pad(p.second)}` : ""}`;
}

/** "14:05:09" (without `seconds`: "14:05"). */
export function formatTime(value: TDateInput, { timeZone, seconds = true, fallback = "–" }: TOptions & { seconds?: boolean; fallback?: string } = {}): string {
  const d = toDate(value);
  if (!d) return fallback;
  const p = partsOf(d, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}${seconds ? `:${pad(p.second)}` : ""}`;
}

/** "28 Nov" — for axis ticks and compact lists where the year is shown elsewhere. */
export function formatDayMonth(value: TDateInput, { timeZone, fallback = "–" }: TOptions & { fallback?: string } = {}): string {
  const d = toDate(value);
  if (!d) return fallback;
  const p = partsOf(d, timeZone);
  return `${p.day} ${MONTHS[p.month]}`;
}

/** A UTC calendar day "2026-11-28" (a period key as the API sends it) → "28 Nov 2026", without a time-zone shift. */
export function formatDayKey(day: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? formatDate(`${day}T00:00:00Z`, { timeZone: "UTC" }) : day;
}
