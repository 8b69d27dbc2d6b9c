"use client";

import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useApplyThreshold, useThresholdTradeoff } from "@/components/hooks/use-models.ts";
import { buttonClass, ErrorBanner, inputClass } from "@/components/ui/page-header.tsx";
import { SmallSampleNote } from "@/components/dashboard/charts.tsx";
import { num, pct } from "./format.ts";

/** Below this many gold labels (or toxic ones among them) precision and recall are too noisy to steer by. */
const SMALL_SAMPLE = 30;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** Flag-threshold calibration on the gold set: the trade-off curve, a target, and apply. */
export function ThresholdPanel({ canManage, hasActive }: { canManage: boolean; hasActive: boolean }) {
  const [metric, setMetric] = useState<"precision" | "recall">("precision");
  const [atLeast, setAtLeast] = useState("0.9");
  const target = Number(atLeast) > 0 && Number(atLeast) <= 1 ? { metric, atLeast: Number(atLeast) } : null;
  const tradeoff = useThresholdTradeoff(target, hasActive);
  const apply = useApplyThreshold();
  const data = tradeoff.data;
  const choice = data?.choice ?? null;
  const chart = (data?.rows ?? []).map((r) => ({ threshold: r.threshold, precision: r.precision, recall: r.recall, flagged: r.flaggedRate })).reverse();

  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3 text-[13px]" data-testid="threshold-panel">
      <h2 className="text-sm font-semibold">Flag threshold</h2>
      <p className="mb-2 text-xs text-slate-500">
        An excerpt is flagged when its toxic score (1 − p(non-toxic)) reaches the threshold. Pick it for a target precision or recall, measured on the gold set
        with the active version.
      </p>
      {!hasActive ? (
        <p className="text-slate-500">Promote a version first: calibration uses the active model.</p>
      ) : (
        <>
          <ErrorBanner error={tradeoff.error ?? apply.error} />
          <div className="mb-2 flex flex-wrap items-end gap-2">
            <label className="flex flex-col gap-0.5">
              <span className="text-[11px] font-medium text-slate-500">Target</span>
              <select aria-label="Target metric" value={metric} onChange={(e) => setMetric(e.target.value as "precision" | "recall")} className={inputClass}>
                <option value="precision">Precision at least</option>
                <option value="recall">Recall at least</option>
              </select>
            </label>
            <input
              aria-label="Target value"
              type="number"
              min={0.01}
              max={1}
              step={0.01}
              value={atLeast}
              onChange={(e) => setAtLeast(e.target.value)}
              className={`${inputClass} w-20`}
            />
            {canManage && (
              <button
                type="button"
                className={buttonClass}
                disabled={!target || !choice?.isTargetMet || apply.isPending}
                onClick={() => target && apply.mutate(target)}
                title={choice && !choice.isTargetMet ? "No threshold reaches this target on the gold set" : undefined}
              >
                {apply.isPending ? "Applying…" : choice?.isTargetMet ? `Apply ${num(choice.row.threshold)}` : "Apply"}
              </button>
            )}
          </div>
          {apply.data && (
            <div role="status" className="mb-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-1.5 text-xs text-emerald-800">
              Threshold {num(apply.data.previousThreshold)} → {num(apply.data.threshold)}. The open queue is being re-flagged in the background.
            </div>
          )}
          {data && (
            <div className="mb-2 grid grid-cols-2 gap-2 text-xs" data-testid="threshold-summary">
              <div className="rounded border border-slate-200 p-2">
                <div className="font-medium">Today: {num(data.currentThreshold, 3)}</div>
                {data.current
                  ? `precision ${pct(data.current.precision, 1)}, recall ${pct(data.current.recall, 1)}, flags ${pct(data.current.flaggedRate, 1)}`
                  : "flags nothing on the gold set"}
              </div>
              <div className={`rounded border p-2 ${choice && !choice.isTargetMet ? "border-amber-200 bg-amber-50" : "border-indigo-200 bg-indigo-50"}`}>
                <div className="font-medium">
                  {choice
                    ? choice.isTargetMet
                      ? `Target met at ${num(choice.row.threshold, 3)}`
                      : `Not reachable; closest ${num(choice.row.threshold, 3)}`
                    : "No gold labels yet"}
                </div>
                {choice && `precision ${pct(choice.row.precision, 1)}, recall ${pct(choice.row.recall, 1)}, flags ${pct(choice.row.flaggedRate, 1)}`}
              </div>
            </div>
          )}
          {data && (data.positives < SMALL_SAMPLE || data.n - data.positives < SMALL_SAMPLE) && (
            <SmallSampleNote>
              Small sample: {data.n} gold labels, {data.positives} of them toxic.{" "}
              {data.positives > 0
                ? `With fewer than ${SMALL_SAMPLE} toxic labels one excerpt moves recall by ${pct(1 / data.positives, 0)}, so a target "met" here is a rough guide only.`
                : "Without toxic gold labels, precision and recall cannot be measured."}{" "}
              Label more of the audit slice first.
            </SmallSampleNote>
          )}
          {chart.length > 1 && (
            <div className="text-slate-500">
              <ResponsiveContainer width="100%" height={200}>
                <LineChart data={chart} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
                  <CartesianGrid stroke="currentColor" strokeOpacity={0.25} strokeDasharray="3 3" />
                  {/* explicit ticks: recharts' own put "0.3" at 0.25 and "0.8" at 0.75, which made the "today" line look misplaced */}
                  <XAxis
                    dataKey="threshold"
                    type="number"
                    domain={[0, 1]}
                    ticks={TICKS}
                    tick={{ fontSize: 11, fill: "currentColor" }}
                    stroke="currentColor"
                    tickFormatter={(v: number) => v.toFixed(2)}
                  />
                  <YAxis
                    domain={[0, 1]}
                    ticks={TICKS}
                    tick={{ fontSize: 11, fill: "currentColor" }}
                    stroke="currentColor"
                    width={40}
                    tickFormatter={(v: number) => `${Math.round(v * 100)}%`}
                  />
                  <Tooltip
                    formatter={(v: unknown) => (typeof v === "number" ? pct(v, 1) : String(v))}
                    labelFormatter={(v: unknown) => `threshold ${num(Number(v))}`}
                    contentStyle={{ fontSize: 12, background: "var(--color-white)", borderColor: "var(--color-slate-200)", color: "var(--color-slate-800)" }}
                  />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  <Line dataKey="precision" stroke="#4f46e5" dot={false} strokeWidth={2} isAnimationActive={false} />
                  <Line dataKey="recall" stroke="#db2777" dot={false} strokeWidth={2} isAnimationActive={false} />
                  <Line dataKey="flagged" name="flagged share" stroke="#94a3b8" strokeDasharray="4 3" dot={false} isAnimationActive={false} />
                  <ReferenceLine
                    x={data!.currentThreshold}
                    stroke="#64748b"
                    strokeDasharray="3 3"
                    label={{
                      value: `today ${num(data!.currentThreshold, 2)}`,
                      fontSize: 10,
                      fill: "currentColor",
                      position: data!.currentThreshold > 0.5 ? "insideTopRight" : "insideTopLeft",
                    }}
                  />
                  {choice?.isTargetMet && (
                    <ReferenceLine x={choice.row.threshold} stroke="#4f46e5" label={{ value: "target", fontSize: 10, position: "insideTopRight" }} />
                  )}
                </LineChart>
              </ResponsiveContainer>
            </div>
          )}
          {data && (
            <details className="mt-2 text-xs">
              <summary className="cursor-pointer text-slate-500">
                Trade-off table ({data.n} gold labels, {data.positives} toxic)
              </summary>
              <table className="mt-1 w-full font-mono tabular-nums">
                <thead className="text-left font-sans text-[11px] text-slate-500">
                  <tr>
                    <th>Threshold</th>
                    <th className="text-right">Precision</th>
                    <th className="text-right">Recall</th>
                    <th className="text-right">F1</th>
                    <th className="text-right">Flagged</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows
                    .filter((_, i) => i % Math.max(1, Math.ceil(data.rows.length / 20)) === 0)
                    .map((r) => (
                      <tr key={r.threshold}>
                        <td>{num(r.threshold)}</td>
                        <td className="text-right">{pct(r.precision, 1)}</td>
                        <td className="text-right">{pct(r.recall, 1)}</td>
                        <td className="text-right">{num(r.f1)}</td>
                        <td className="text-right">{pct(r.flaggedRate, 1)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </details>
          )}
        </>
      )}
    </section>
  );
}
