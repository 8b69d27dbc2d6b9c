/**
 * Time axes with real time spacing: points sit at their instants (epoch ms), not at evenly spaced
 * category slots, so a three-day gap looks like one. Ticks fall on round UTC boundaries (the dashboard's
 * periods are UTC days and hours) and read as people write dates: "23 Nov", "14:00".
 */
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 91 * DAY];

/** "2026-11-23" (a UTC day or week start) or "2026-11-23T14:00" (a UTC hour) → epoch ms; NaN if neither. */
export function periodKeyToMs(key: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(key);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
}

export type TTimeTicks = { ticks: number[]; stepMs: number };

/** Round-boundary ticks covering [minMs, maxMs], at most `maxTicks` of them. Weeks start on Monday. */
export function timeTicks(minMs: number, maxMs: number, maxTicks = 6): TTimeTicks {
  if (!Number.isFinite(minMs) || !Number.isFinite(maxMs)) return { ticks: [], stepMs: DAY };
  if (maxMs <= minMs) return { ticks: [minMs], stepMs: DAY };
  const span = maxMs - minMs;
  const stepMs = STEPS.find((s) => span / s <= Math.max(1, maxTicks - 1)) ?? STEPS[STEPS.length - 1];
  let first: number;
  if (stepMs >= 7 * DAY) {
    // Mondays: 1970-01-05 was one
    const monday = Date.UTC(1970, 0, 5);
    first = monday + Math.ceil((minMs - monday) / stepMs) * stepMs;
  } else {
    first = Math.ceil(minMs / stepMs) * stepMs;
  }
  const ticks: number[] = [];
  for (let t = first; t <= maxMs + 1; t += stepMs) ticks.push(t);
  return { ticks, stepMs };
}

/** A tick's label: the day ("23 Nov") for day-sized steps and at midnight, the hour ("14:00") otherwise. */
export function formatTimeTick(ms: number, stepMs: number): string {
  const d = new Date(ms);
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  if (stepMs >= DAY) return day;
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0) return day;
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
}

/** A full label for tooltips: "23 Nov 2026" for a day, "23 Nov 2026, 14:00 UTC" for an hour. */
export function formatPeriod(ms: number, isHourly = false): string {
  const d = new Date(ms);
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return isHourly ? `${day}, ${String(d.getUTCHours()).padStart(2, "0")}:00 UTC` : day;
}

/**
 * A model version's legend label: "linear-20261206-095454-940" → "linear 6 Dec 09:54" (the full name
 * goes in the tooltip); other names are cut to `max` characters.
 */
export function shortVersionLabel(version: string, max = 18): string {
  const m = /^([a-z]+)-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})\d{2}(?:-\d+)?$/i.exec(version);
  if (m) return `${m[1]} ${Number(m[4])} ${MONTHS[Number(m[3]) - 1]} ${m[5]}:${m[6]}`;
  return version.length <= max ? version : `${version.slice(0, max - 1)}…`;
}

/**
 * Short labels for a set of versions that stay unique: versions trained within the same minute (an
 * automatic retrain, a simulated history) get their seconds, then their milliseconds, rather than
 * two identical legend entries.
 */
export function shortVersionLabels(versions: string[]): string[] {
  const levels = [(v: string) => shortVersionLabel(v), (v: string) => withTime(v, false) ?? shortVersionLabel(v), (v: string) => withTime(v, true) ?? v];
  const out = versions.map(levels[0]);
  for (const level of levels.slice(1)) {
    const counts = new Map<string, number>();
    for (const label of out) counts.set(label, (counts.get(label) ?? 0) + 1);
    if ([...counts.values()].every((n) => n === 1)) break;
    versions.forEach((v, i) => {
      if ((counts.get(out[i]) ?? 0) > 1) out[i] = level(v);
    });
  }
  return out;
}

function withTime(version: string, isMs: boolean): string | null {
  const m = /^([a-z]+)-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?$/i.exec(version);
  if (!m) return null;
  if (isMs) return `${m[1]} ${m[5]}:${m[6]}:${m[7]}${m[8] ? `.${m[8]}` : ""}`;
  return `${m[1]} ${Number(m[4])} ${MONTHS[Number(m[3]) - 1]} ${m[5]}:${m[6]}:${m[7]}`;
}
