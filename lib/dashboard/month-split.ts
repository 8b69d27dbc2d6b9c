/**
 * Splits an inclusive range of UTC days into the calendar months it covers whole and the days at its edges,
 * so that a report can read whole months from a monthly rollup and only the edges from the daily one
 * (dash_agreement_pairs_monthly beside dash_agreement_pairs). Days are "YYYY-MM-DD"; a missing bound is
 * open. `months` bounds are months' first days (inclusive), null when the range covers no whole month;
 * `edges` are day ranges (inclusive) outside those months, at most two. Together they cover the range
 * exactly once.
 */
export type TDayRange = { from?: string; to?: string };
export type TMonthSplit = { months: TDayRange | null; edges: TDayRange[] };

const day = (d: Date) => d.toISOString().slice(0, 10);
const parse = (s: string) => new Date(`${s}T00:00:00Z`);
const addDays = (s: string, n: number) => {
  const d = parse(s);
  d.setUTCDate(d.getUTCDate() + n);
  return day(d);
};
const firstOfMonth = (s: string) => `${s.slice(0, 7)}-01`;
const addMonths = (first: string, n: number) => {
  const d = parse(first);
  d.setUTCMonth(d.getUTCMonth() + n);
  return day(d);
};

export function splitByMonths({ from, to }: TDayRange): TMonthSplit {
  // the first whole month starts on or after `from`; the last whole month ends on or before `to`
  const firstMonth = from === undefined ? undefined : firstOfMonth(from) === from ? from : addMonths(firstOfMonth(from), 1);
  const afterTo = to === undefined ? undefined : addDays(to, 1);
  const lastMonth = afterTo === undefined ? undefined : firstOfMonth(afterTo) === afterTo ? addMonths(afterTo, -1) : addMonths(firstOfMonth(afterTo), -1);
  if (from !== undefined && to !== undefined && from > to) return { months: null, edges: [] };
  if (firstMonth !== undefined && lastMonth !== undefined && firstMonth > lastMonth) return { months: null, edges: [{ from, to }] };
  const edges: TDayRange[] = [];
  if (from !== undefined && firstMonth !== undefined && from < firstMonth) edges.push({ from, to: addDays(firstMonth, -1) });
  if (to !== undefined && lastMonth !== undefined) {
    const afterLast = addMonths(lastMonth, 1);
    if (afterLast <= to) edges.push({ from: afterLast, to });
  }
  return { months: { from: firstMonth, to: lastMonth }, edges };
}
