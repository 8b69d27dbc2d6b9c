/** The active-learning benchmark's learning curves as PNGs (one per data set) next to its JSON. */
import path from "node:path";
import type { TMeanCurvePoint } from "@/lib/active-learning/curve.ts";
import { AL_STRATEGIES } from "@/lib/active-learning/select.ts";
import { renderChart, type TBandSeries } from "./svg-chart.ts";
import { svgsToPngs } from "./svg-to-png.ts";

const TITLES: Record<string, string> = {
  tweeteval: "TweetEval offensive (train → test): macro-F1 vs labels",
  conda: "CONDA intent E/I/A/O (train → valid): macro-F1 vs labels",
};
// Colour-blind-safe (Okabe–Ito); default bold, random dashed as the baseline.
const STYLE: Record<string, { color: string; name: string; isBold?: boolean; dash?: string }> = {
  default: { color: "#D55E00", name: "default\nmargin, near-duplicates\nspaced; 10% audit slice", isBold: true },
  flagged_first: { color: "#56B4E9", name: "previous default\nflagged first, then least\nconfidence; 10% audit slice" },
  least_confidence: { color: "#0072B2", name: "least confidence" },
  margin: { color: "#009E73", name: "margin" },
  entropy: { color: "#CC79A7", name: "entropy" },
  toxic_score: { color: "#E69F00", name: "toxic score" },
  random: { color: "#000000", name: "random", dash: "3 4" },
};

export async function plotActiveLearning(input: { result: Record<string, unknown>; dir: string; suffix: string }): Promise<string[]> {
  const curves = input.result.curves as Record<string, Record<string, TMeanCurvePoint[]>>;
  const settings = input.result.settings as { seeds: number[]; max_labels: number };
  const items: { svg: string; file: string; width: number; height: number }[] = [];
  for (const [dataset, byStrategy] of Object.entries(curves)) {
    const full = input.result[`${dataset}_full_macro_f1`] as number;
    const series: TBandSeries[] = AL_STRATEGIES.filter((s) => byStrategy[s]).map((s) => ({
      ...STYLE[s],
      points: byStrategy[s].map((p) => ({ x: p.labels, y: p.mean, sd: p.sd })),
    }));
    // legend order: strongest final F1 first, so the legend reads like the right edge of the plot
    series.sort((a, b) => b.points.at(-1)!.y - a.points.at(-1)!.y);
    const width = 1100;
    const height = 680;
    const svg = renderChart({
      title: TITLES[dataset] ?? dataset,
      subtitle: `app's quick model retrained after every 100 labels; start 100 random labels; mean of ${settings.seeds.length} seed${settings.seeds.length > 1 ? "s" : ""}`,
      xLabel: "labels (moderator decisions, incl. audit-slice labels)",
      yLabel: "macro-F1 on held-out split",
      series,
      refLines: [
        { y: full, label: `full-data model\n(${full.toFixed(3)})`, color: "#555" },
        { y: 0.95 * full, label: `95% of full data\n(${(0.95 * full).toFixed(3)})`, color: "#C00" },
      ],
      xMax: settings.max_labels,
      width,
      height,
    });
    items.push({ svg, file: path.join(input.dir, `active-learning-${dataset}${input.suffix}.png`), width, height });
  }
  await svgsToPngs(items);
  return items.map((i) => i.file);
}
