import { seededRandom } from "@/lib/random/seeded-random.ts";
/**
 * Uncertainty for metrics measured on few labels, so a dashboard trend over a thin period shows a
 * band instead of a confident-looking line: Wilson score intervals for proportions (precision,
 * recall, accuracy, rates) and analytic or bootstrap intervals for F1.
 */
import { type TBinaryCounts, safeRatio } from "./binary.ts";

export type TInterval = {
  /** the point estimate; null when there is no data at all */
  estimate: number | null;
  lower: number;
  upper: number;
  confidence: number;
};

/**
 * Standard normal quantile Φ⁻¹(p): Wichura's AS241 (Applied Statistics 37(3), 1988), accurate to
 * about 1e-16 — the same rational approximations as CPython's statistics.NormalDist.inv_cdf.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must lie strictly between 0 and 1 (got ${p})`);
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    const num =
      (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r +
        1.3731693765509461125e4) *
        r +
        1.9715909503065514427e3) *
        r +
        1.3314166789178437745e2) *
        r +
        3.387132872796366608) *
      q;
    const den =
      ((((((5.226495278852854561e3 * r + 2.8729085735721942674e4) * r + 3.930789580009271061e4) * r + 2.1213794301586595867e4) * r + 5.3941960214247511077e3) *
        r +
        6.871870074920579083e2) *
        r +
        4.2313330701600911252e1) *
        r +
      1.0;
    return num / den;
  }
  let r = q <= 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let num: number;
  let den: number;
  if (r <= 5) {
    r -= 1.6;
    num =
      ((((((7.7454501427834140764e-4 * r + 2.27238449892691845833e-2) * r + 2.4178072517745061177e-1) * r + 1.27045825245236838258) * r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
      1.42343711074968357734;
    den =
      ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 1.51986665636164571966e-2) * r + 1.4810397642748007459e-1) * r +
        6.8976733498510000455e-1) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
      1.0;
  } else {
    r -= 5;
    num =
      ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.2426609473880784386e-3) * r + 2.6532189526576123093e-2) * r +
        2.9656057182850489123e-1) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
      6.6579046435011037772;
    den =
      ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
        1.4875361290850614852e-2) *
        r +
        1.3692988092273580531e-1) *
        r +
        5.9983220655588793769e-1) *
        r +
      1.0;
  }
  const x = num / den;
  return q < 0 ? -x : x;
}

function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new Error(`confidence must lie strictly between 0 and 1 (got ${confidence}); use e.g. 0.95`);
  }
}

/** z such that a two-sided interval at this confidence covers ±z standard errors. */
export function twoSidedZ(confidence: number): number {
  assertConfidence(confidence);
  return normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * Wilson score interval for `successes` out of `trials` (statsmodels proportion_confint
 * method="wilson"). Unlike the normal approximation it stays inside [0, 1] and is honest at 0 or n
 * successes. With no trials the interval is the whole [0, 1] and the estimate null.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): TInterval {
  assertConfidence(confidence);
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || trials < 0 || successes > trials) {
    throw new Error(`wilsonInterval: need integers 0 ≤ successes ≤ trials (got ${successes} of ${trials})`);
  }
  if (trials === 0) return { estimate: null, lower: 0, upper: 1, confidence };
  const z = twoSidedZ(confidence);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials));
  // the endpoints are exactly 0 / 1 at 0 / n successes; rounding must not push them past
  return {
    estimate: p,
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === trials ? 1 : Math.min(1, centre + half),
    confidence,
  };
}

/**
 * Delta-method standard error of F1 = 2tp / (2tp + fp + fn) under multinomial sampling of the
 * items: Var = 4·tp·(fp + fn)·(tp + fp + fn) / (2tp + fp + fn)⁴ (true negatives drop out).
 * Zero when tp = 0 or fp + fn = 0, which is why thin data should use the bootstrap instead.
 */
export function f1StandardError(c: TBinaryCounts): number {
  const d = 2 * c.tp + c.fp + c.fn;
  if (d === 0) return 0;
  return Math.sqrt((4 * c.tp * (c.fp + c.fn) * (c.tp + c.fp + c.fn)) / d ** 4);
}

/** Normal-approximation interval around F1 from the delta-method error, clipped to [0, 1]. */
export function f1IntervalAnalytic(c: TBinaryCounts, confidence = 0.95): TInterval {
  const d = 2 * c.tp + c.fp + c.fn;
  if (d === 0) return { estimate: null, lower: 0, upper: 1, confidence };
  const f1 = (2 * c.tp) / d;
  const half = twoSidedZ(confidence) * f1StandardError(c);
  return { estimate: f1, lower: Math.max(0, f1 - half), upper: Math.min(1, f1 + half), confidence };
}

/** numpy.quantile's default ("linear") on sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new Error("quantileSorted: no values");
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export type TBootstrapOptions = { confidence?: number; iterations?: number; seed?: number };

/**
 * Percentile-bootstrap interval for F1: resample the n evaluated items with replacement (drawn
 * from their tp/fp/fn/tn counts, which is equivalent and O(n) per resample), recompute F1 with
 * zero_division=0, take the quantiles. Deterministic for a given seed.
 */
export function f1IntervalBootstrap(c: TBinaryCounts, options: TBootstrapOptions = {}): TInterval {
  const { confidence = 0.95, iterations = 2000, seed = 1 } = options;
  assertConfidence(confidence);
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`f1IntervalBootstrap: iterations must be a positive integer (got ${iterations})`);
  const n = c.tp + c.fp + c.fn + c.tn;
  const d = 2 * c.tp + c.fp + c.fn;
  if (n === 0 || d === 0) return { estimate: d === 0 ? null : (2 * c.tp) / d, lower: 0, upper: 1, confidence };
  const rand = seededRandom(seed);
  const cutTp = c.tp / n;
  const cutFp = (c.tp + c.fp) / n;
  const cutFn = (c.tp + c.fp + c.fn) / n;
  const f1s = new Float64Array(iterations);
  for (let b = 0; b < iterations; b++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      const u = rand();
      if (u < cutTp) tp++;
      else if (u < cutFp) fp++;
      else if (u < cutFn) fn++;
    }
    f1s[b] = safeRatio(2 * tp, 2 * tp + fp + fn);
  }
  f1s.sort();
  const tail = (1 - confidence) / 2;
  return {
    estimate: (2 * c.tp) / d,
    lower: quantileSorted(f1s, tail),
    upper: quantileSorted(f1s, 1 - tail),
    confidence,
  };
}

export type TScoresWithIntervals = {
  /** evaluated items in the period */
  n: number;
  precision: TInterval;
  recall: TInterval;
  f1: TInterval;
  accuracy: TInterval;
  /** fewer labels than `minLabels`: draw the band, not a line */
  isTooFew: boolean;
};

/**
 * Precision, recall, F1 and accuracy of one trend point with their uncertainty, for the dashboard:
 * Wilson intervals for the proportions; for F1 the percentile bootstrap while the sample is small
 * (the delta method is degenerate at tp = 0 or fp + fn = 0, exactly where thin periods land) and
 * the analytic interval above `bootstrapUpTo` items, where the two agree and the bootstrap is slow.
 */
export function scoresWithIntervals(
  c: TBinaryCounts,
  options: { confidence?: number; minLabels?: number; bootstrapUpTo?: number; seed?: number } = {},
): TScoresWithIntervals {
  const { confidence = 0.95, minLabels = 30, bootstrapUpTo = 5000, seed = 1 } = options;
  const n = c.tp + c.fp + c.fn + c.tn;
  return {
    n,
    precision: wilsonInterval(c.tp, c.tp + c.fp, confidence),
    recall: wilsonInterval(c.tp, c.tp + c.fn, confidence),
    f1: n <= bootstrapUpTo ? f1IntervalBootstrap(c, { confidence, iterations: 1000, seed }) : f1IntervalAnalytic(c, confidence),
    accuracy: wilsonInterval(c.tp + c.tn, n, confidence),
    isTooFew: n < minLabels,
  };
}
