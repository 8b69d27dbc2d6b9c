/**
 * Splits an inclusive range of UTC days into the calendar months it covers whole and the days at its edges,
 * so that a report can read whole months from a monthly rollup and only the edges from the daily one
 * (dash_agreement_pairs_monthly beside dash_agreement_pairs). Days are "YYYY-MM-DD" of years 1000–9999
 * (lib/dashboard/schemas.ts); a missing bound is open. `months` bounds are months' first days (inclusive),
 * null when the range covers no whole month; `edges` are day ranges (inclusive) outside those months, at
 * most two. Together they cover the range exactly once.
 */
export type TDayRange = { from?: string; to?: string };
export type TMonthSplit = { months: TDayRange | null; edges: TDayRange[] };

// Days as numbers (days since 1970-01-01, UTC) for arithmetic and comparison; strings only at the end
const MS_PER_DAY = 86_400_000;
const dayNumber = (s: string) => Date.parse(`${s}T00:00:00Z`) / MS_PER_DAY;
const dayString = (n: number) => new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
/** the first day of the month `offset` months from the one holding day n */
const monthStart = (n: number, offset = 0) => {
  const d = new Date(n * MS_PER_DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1) / MS_PER_DAY;
};
const LAST_MONTH = dayNumber("9999-12-01");

export function splitByMonths({ from, to }: TDayRange): TMonthSplit {
  const f = from === undefined ? undefined : dayNumber(from);
  const t = to === undefined ? undefined : dayNumber(to);
  if (f !== undefined && t !== undefined && f > t) return { months: null, edges: [] };
  // the first whole month starts on or after `from`; the last whole month ends on or before `to`
  const first = f === undefined ? undefined : monthStart(f) === f ? f : monthStart(f, 1);
  const last = t === undefined ? undefined : monthStart(t, 1) === t + 1 ? monthStart(t) : monthStart(t, -1);
  if ((first !== undefined && last !== undefined && first > last) || (first !== undefined && first > LAST_MONTH)) {
    return { months: null, edges: [{ from, to }] };
  }
  const edges: TDayRange[] = [];
  if (f !== undefined && first !== undefined && f < first) edges.push({ from, to: dayString(first - 1) });
  if (t !== undefined && last !== undefined && monthStart(last, 1) <= t) edges.push({ from: dayString(monthStart(last, 1)), to });
  return { months: { from: first === undefined ? undefined : dayString(first), to: last === undefined ? undefined : dayString(last) }, edges };
}
