/**
 * Turns the dashboard rollups (rows of counts) into what a manager reads: accuracy and P/R/F1
 * trends with uncertainty, the confusion matrix, the most-corrected categories, the community's
 * flagged and confirmed-toxic rates, and moderator throughput. Pure: the rows come from
 * server/dashboard, the metric math from lib/metrics.
 */
import { type TBinaryCounts, type TInterval, f1IntervalAnalytic, f1IntervalBootstrap, scoresFromCounts, wilsonInterval } from "../metrics/index.ts";
import { csvCell } from "../text/csv.ts";

export type TGranularity = "day" | "week";

/** Below this many labels in a period a trend point is drawn as "too few labels", not as a value. */
export const MIN_LABELS_FOR_POINT = 20;

/** Monday-based ISO week start for week granularity; the day itself for day granularity. */
export function periodStart(day: string, granularity: TGranularity): string {
  if (granularity === "day") return day;
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - weekday);
  return d.toISOString().slice(0, 10);
}

export type TAccuracyRow = {
  day: string;
  modelVersionId: number;
  isAudit: boolean;
  suggestedCategoryId: number;
  categoryId: number;
  n: number;
};

export type TCategoryInfo = { id: number; name: string; isNonToxic: boolean; color: string };

export type TTrendPoint = {
  period: string;
  modelVersionId: number;
  labels: number;
  isThin: boolean;
  /** share of decisions where the moderator chose the model's suggested category */
  agreement: TInterval;
  binary: { precision: TInterval; recall: TInterval; f1: TInterval };
  perCategory: Record<number, { precision: number; recall: number; f1: number; support: number }>;
};

function emptyCounts(): TBinaryCounts {
  return { tp: 0, fp: 0, fn: 0, tn: 0 };
}

function addBinary(c: TBinaryCounts, isTrue: boolean, isPred: boolean, n: number): void {
  if (isTrue && isPred) c.tp += n;
  else if (!isTrue && isPred) c.fp += n;
  else if (isTrue && !isPred) c.fn += n;
  else c.tn += n;
}

/**
 * Accuracy trends per period and model version. Binary: "toxic" = any category but the non-toxic
 * one, the model's call being its suggested (argmax) category. F1 intervals use the bootstrap
 * when a period is thin (the delta method collapses there) and the analytic form otherwise.
 */
export function accuracyTrends(rows: readonly TAccuracyRow[], categories: readonly TCategoryInfo[], granularity: TGranularity): TTrendPoint[] {
  const nonToxic = new Set(categories.filter((c) => c.isNonToxic).map((c) => c.id));
  type TAcc = { labels: number; agree: number; binary: TBinaryCounts; perCat: Map<number, TBinaryCounts> };
  const groups = new Map<string, TAcc & { period: string; modelVersionId: number }>();
  for (const r of rows) {
    const period = periodStart(r.day, granularity);
    const key = `${period}|${r.modelVersionId}`;
    let g = groups.get(key);
    if (!g) {
      g = { period, modelVersionId: r.modelVersionId, labels: 0, agree: 0, binary: emptyCounts(), perCat: new Map() };
      groups.set(key, g);
    }
    g.labels += r.n;
    if (r.categoryId === r.suggestedCategoryId) g.agree += r.n;
    addBinary(g.binary, !nonToxic.has(r.categoryId), !nonToxic.has(r.suggestedCategoryId), r.n);
    for (const c of categories) {
      let pc = g.perCat.get(c.id);
      if (!pc) g.perCat.set(c.id, (pc = emptyCounts()));
      addBinary(pc, r.categoryId === c.id, r.suggestedCategoryId === c.id, r.n);
    }
  }
  return [...groups.values()]
    .sort((a, b) => (a.period === b.period ? a.modelVersionId - b.modelVersionId : a.period < b.period ? -1 : 1))
    .map((g) => {
      const isThin = g.labels < MIN_LABELS_FOR_POINT;
      const s = scoresFromCounts(g.binary);
      const perCategory: TTrendPoint["perCategory"] = {};
      for (const [id, c] of g.perCat) {
        const cs = scoresFromCounts(c);
        perCategory[id] = { precision: cs.precision, recall: cs.recall, f1: cs.f1, support: cs.support };
      }
      return {
        period: g.period,
        modelVersionId: g.modelVersionId,
        labels: g.labels,
        isThin,
        agreement: wilsonInterval(g.agree, g.labels),
        binary: {
          precision: { ...wilsonInterval(g.binary.tp, g.binary.tp + g.binary.fp), estimate: g.binary.tp + g.binary.fp ? s.precision : null },
          recall: { ...wilsonInterval(g.binary.tp, g.binary.tp + g.binary.fn), estimate: g.binary.tp + g.binary.fn ? s.recall : null },
          f1: isThin ? f1IntervalBootstrap(g.binary, { iterations: 400, seed: 7 }) : f1IntervalAnalytic(g.binary),
        },
        perCategory,
      };
    });
}

export type TConfusion = { categoryIds: number[]; matrix: number[][]; total: number };

/** Confusion matrix, rows = moderator label, columns = model suggestion, in taxonomy order. */
export function confusionFromRows(rows: readonly TAccuracyRow[], categories: readonly TCategoryInfo[]): TConfusion {
  const ids = categories.map((c) => c.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const matrix = ids.map(() => ids.map(() => 0));
  let total = 0;
  for (const r of rows) {
    const i = index.get(r.categoryId);
    const j = index.get(r.suggestedCategoryId);
    if (i === undefined || j === undefined) continue;
    matrix[i][j] += r.n;
    total += r.n;
  }
  return { categoryIds: ids, matrix, total };
}

export type TCorrectionRow = { categoryId: number; suggested: number; corrected: number; correctionRate: TInterval; topCorrectedTo: number | null };

/** Per suggested category: how often moderators overrode it, and to what, most corrected first. */
export function mostCorrected(conf: TConfusion): TCorrectionRow[] {
  return conf.categoryIds
    .map((id, j) => {
      const column = conf.matrix.map((row) => row[j]);
      const suggested = column.reduce((a, b) => a + b, 0);
      const corrected = suggested - conf.matrix[j][j];
      let topCorrectedTo: number | null = null;
      let best = 0;
      column.forEach((n, i) => {
        if (i !== j && n > best) {
          best = n;
          topCorrectedTo = conf.categoryIds[i];
        }
      });
      return { categoryId: id, suggested, corrected, correctionRate: wilsonInterval(corrected, suggested), topCorrectedTo };
    })
    .filter((r) => r.suggested > 0)
    .sort((a, b) => b.corrected - a.corrected || a.categoryId - b.categoryId);
}

export type TToxicityRow = {
  day: string;
  scoreBin: number; // 1..20: toxic score in [(bin-1)/20, bin/20)
  n: number;
  nLabelled: number;
  nConfirmedToxic: number;
};

/** The first 1/20-wide score bin (PostgreSQL width_bucket numbering, 1..20) counted as flagged. */
export function firstFlaggedBin(threshold: number): number {
  // the rounding guards against 0.15 * 20 = 2.9999999999999996
  return Math.floor(Math.round(threshold * 20 * 1e9) / 1e9) + 1;
}

export type TToxicityPoint = {
  period: string;
  scored: number;
  flaggedRate: TInterval;
  labelled: number;
  confirmedToxicRate: TInterval;
};

/**
 * Flagged rate at the workspace threshold (read from the score histogram: a bin counts as
 * flagged when its lower edge reaches the threshold rounded down to a multiple of 0.05) and the
 * confirmed-toxic rate among moderator-labelled excerpts.
 */
export function toxicityTrends(rows: readonly TToxicityRow[], threshold: number, granularity: TGranularity): TToxicityPoint[] {
  const flaggedFrom = firstFlaggedBin(threshold);
  const groups = new Map<string, { scored: number; flagged: number; labelled: number; toxic: number }>();
  for (const r of rows) {
    const period = periodStart(r.day, granularity);
    let g = groups.get(period);
    if (!g) groups.set(period, (g = { scored: 0, flagged: 0, labelled: 0, toxic: 0 }));
    g.scored += r.n;
    if (r.scoreBin >= flaggedFrom) g.flagged += r.n;
    g.labelled += r.nLabelled;
    g.toxic += r.nConfirmedToxic;
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([period, g]) => ({
      period,
      scored: g.scored,
      flaggedRate: wilsonInterval(g.flagged, g.scored),
      labelled: g.labelled,
      confirmedToxicRate: wilsonInterval(g.toxic, g.labelled),
    }));
}

/** Upper edges (ms) of the duration buckets used by the dash_moderator_durations rollup. */
export const DURATION_EDGES_MS = [500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000, 20000, 30000, 60000] as const;

/**
 * Median from a histogram whose bucket b (PostgreSQL width_bucket: 0 below the first edge,
 * len(edges) at or above the last) covers [edges[b-1], edges[b]); linear interpolation inside the
 * bucket. The open last bucket reports its lower edge.
 */
export function medianFromHistogram(counts: ReadonlyMap<number, number>, edges: readonly number[] = DURATION_EDGES_MS): number | null {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const half = total / 2;
  let seen = 0;
  for (let b = 0; b <= edges.length; b++) {
    const n = counts.get(b) ?? 0;
    if (n === 0) continue;
    if (seen + n >= half) {
      const lo = b === 0 ? 0 : edges[b - 1];
      if (b === edges.length) return lo;
      const hi = edges[b];
      return lo + ((half - seen) / n) * (hi - lo);
    }
    seen += n;
  }
  return edges[edges.length - 1];
}

/** A moderator's decisions, corrections and active hours (hours with at least one decision) over some span; rows of one moderator add up. */
export type TModeratorHoursRow = { userId: number; n: number; nCorrections: number; activeHours: number };
export type TModeratorDurationRow = { userId: number; durationBucket: number; n: number };

export type TModeratorStats = {
  userId: number;
  decisions: number;
  activeHours: number;
  decisionsPerHour: number;
  medianMs: number | null;
  correctionRate: number;
};

/** Per moderator: decisions, hours with at least one decision, decisions per active hour, median time. */
export function moderatorStats(hours: readonly TModeratorHoursRow[], durations: readonly TModeratorDurationRow[]): TModeratorStats[] {
  const byUser = new Map<number, { n: number; corrections: number; hours: number; hist: Map<number, number> }>();
  const userOf = (userId: number) => {
    let u = byUser.get(userId);
    if (!u) byUser.set(userId, (u = { n: 0, corrections: 0, hours: 0, hist: new Map() }));
    return u;
  };
  for (const r of hours) {
    const u = userOf(r.userId);
    u.n += r.n;
    u.corrections += r.nCorrections;
    u.hours += r.activeHours;
  }
  for (const r of durations) {
    const u = userOf(r.userId);
    u.hist.set(r.durationBucket, (u.hist.get(r.durationBucket) ?? 0) + r.n);
  }
  return [...byUser.entries()]
    .filter(([, u]) => u.n > 0)
    .map(([userId, u]) => ({
      userId,
      decisions: u.n,
      activeHours: u.hours,
      decisionsPerHour: u.hours ? u.n / u.hours : 0,
      medianMs: medianFromHistogram(u.hist),
      correctionRate: u.n ? u.corrections / u.n : 0,
    }))
    .sort((a, b) => b.decisions - a.decisions || a.userId - b.userId);
}

/** CSV for every dashboard table: RFC 4180 quoting, and cells that a spreadsheet would run as a formula neutralised. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export type TCommunityRow = TToxicityRow & { game: string | null; channel: string | null; source: string };
export type TCommunityBreakdown = {
  game: string | null;
  channel: string | null;
  source: string;
  scored: number;
  flaggedRate: TInterval;
  labelled: number;
  confirmedToxicRate: TInterval;
};

/** Flagged and confirmed-toxic rates per game/channel/source over the whole filtered range, largest first. */
export function toxicityBreakdown(rows: readonly TCommunityRow[], threshold: number): TCommunityBreakdown[] {
  const flaggedFrom = firstFlaggedBin(threshold);
  const groups = new Map<
    string,
    { game: string | null; channel: string | null; source: string; scored: number; flagged: number; labelled: number; toxic: number }
  >();
  for (const r of rows) {
    const key = JSON.stringify([r.game, r.channel, r.source]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { game: r.game, channel: r.channel, source: r.source, scored: 0, flagged: 0, labelled: 0, toxic: 0 }));
    g.scored += r.n;
    if (r.scoreBin >= flaggedFrom) g.flagged += r.n;
    g.labelled += r.nLabelled;
    g.toxic += r.nConfirmedToxic;
  }
  return [...groups.values()]
    .map((g) => ({
      game: g.game,
      channel: g.channel,
      source: g.source,
      scored: g.scored,
      flaggedRate: wilsonInterval(g.flagged, g.scored),
      labelled: g.labelled,
      confirmedToxicRate: wilsonInterval(g.toxic, g.labelled),
    }))
    .sort((a, b) => b.scored - a.scored || JSON.stringify([a.game, a.channel, a.source]).localeCompare(JSON.stringify([b.game, b.channel, b.source])));
}
