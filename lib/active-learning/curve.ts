/** Learning-curve summaries for the active-learning benchmark. */

export type TCurvePoint = { labels: number; f1: number };

/** First label count at which the curve reaches `target`, or null if it never does. */
export function labelsToReach(curve: readonly TCurvePoint[], target: number): number | null {
  for (const p of curve) if (p.f1 >= target) return p.labels;
  return null;
}

/**
 * Area under the learning curve by the trapezoid rule, divided by the label range it spans, so a
 * curve at constant F1 f has area f and the figure lies in [0, 1] like the F1 itself.
 */
export function normalisedAulc(curve: readonly TCurvePoint[]): number {
  if (curve.length === 0) throw new RangeError("a learning curve needs at least one point");
  if (curve.length === 1) return curve[0].f1;
  let area = 0;
  for (let i = 1; i < curve.length; i++) {
    const dx = curve[i].labels - curve[i - 1].labels;
    if (!(dx > 0)) throw new RangeError(`label counts must increase along the curve: ${curve[i - 1].labels} then ${curve[i].labels}`);
    area += (dx * (curve[i].f1 + curve[i - 1].f1)) / 2;
  }
  return area / (curve.at(-1)!.labels - curve[0].labels);
}

/** Mean and sample standard deviation (n − 1; 0 for a single value). */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  if (values.length === 0) throw new RangeError("mean of no values");
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length === 1) return { mean, sd: 0 };
  const ss = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (values.length - 1)) };
}

export type TMeanCurvePoint = { labels: number; mean: number; sd: number };

/** Point-wise mean ± sd of curves measured at the same label counts (one per seed). */
export function meanCurve(curves: readonly (readonly TCurvePoint[])[]): TMeanCurvePoint[] {
  if (curves.length === 0) return [];
  const n = curves[0].length;
  return curves[0].map((p, i) => {
    for (const c of curves) {
      if (c.length !== n || c[i].labels !== p.labels) throw new RangeError(`curves differ in their label counts at point ${i}`);
    }
    return { labels: p.labels, ...meanSd(curves.map((c) => c[i].f1)) };
  });
}

/**
 * Labels to reach the target, averaged over seeds. Null unless every seed reaches it: a mean over
 * the seeds that happened to get there would flatter a strategy that often does not.
 */
export function meanLabelsToReach(curves: readonly (readonly TCurvePoint[])[], target: number): { mean: number | null; perSeed: (number | null)[] } {
  const perSeed = curves.map((c) => labelsToReach(c, target));
  const isAllReached = perSeed.length > 0 && perSeed.every((v) => v !== null);
  return { mean: isAllReached ? meanSd(perSeed as number[]).mean : null, perSeed };
}

/**
 * The goal for one data set: the default strategy needs at most half the labels random
 * sampling needs, and has the larger area under the curve. A strategy that never reaches the
 * target within the budget needs more than `budget` labels.
 */
export function isGoalMet(input: {
  defaultLabels: number | null;
  randomLabels: number | null;
  defaultAulc: number;
  randomAulc: number;
  budget: number;
}): boolean {
  if (!(input.defaultAulc > input.randomAulc)) return false;
  if (input.defaultLabels === null) return false;
  // random never got there: it needs more than the budget, so half of it is more than budget / 2
  if (input.randomLabels === null) return input.defaultLabels <= input.budget / 2;
  return input.defaultLabels <= input.randomLabels / 2;
}
