"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TReliability } from "@/lib/calibration/reliability.ts";
import type { TModelVersionSummary } from "@/lib/registry/contract.ts";
import { num } from "./format.ts";

/**
 * How far the version's probabilities are from being probabilities: per confidence bin (top label) the mean
 * predicted probability against the share that was right, with the diagonal a calibrated model follows and
 * each bin's count; ECE before and after calibration as training measured it (out of fold), and on the gold set.
 */
export function ReliabilityDiagram({ reliability, calibration }: { reliability: TReliability | null; calibration: TModelVersionSummary["calibration"] }) {
  const bins = (reliability?.bins ?? []).filter((b) => b.count > 0).map((b) => ({ ...b, mid: (b.lower + b.upper) / 2 }));
  return (
    <div data-testid="reliability" className="space-y-2">
      <h3 className="text-xs font-semibold text-slate-500 uppercase">Calibration</h3>
      <p className="text-xs text-slate-600" data-testid="ece">
        {calibration ? (
          <>
            ECE before calibration {num(calibration.before.ece)}, after {num(calibration.after.ece)} ({calibration.method}, fitted on {calibration.fittedOn}
            {calibration.examples ? `, ${calibration.examples} examples` : ""}).{" "}
          </>
        ) : (
          <>No calibration stored with this version. </>
        )}
        {reliability?.ece != null && (
          <>
            ECE on the gold set {num(reliability.ece)} ({reliability.n} labels).
          </>
        )}
      </p>
      {bins.length > 0 ? (
        <>
          <div className="h-64 w-full max-w-xl" role="img" aria-label="Reliability diagram: predicted probability against observed accuracy per bin">
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart data={bins} margin={{ top: 8, right: 8, bottom: 16, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                <XAxis
                  dataKey="mid"
                  type="number"
                  domain={[0, 1]}
                  ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
                  tick={{ fontSize: 11 }}
                  label={{ value: "predicted probability", position: "insideBottom", offset: -8, fontSize: 11 }}
                />
                <YAxis yAxisId="p" domain={[0, 1]} tick={{ fontSize: 11 }} />
                <YAxis yAxisId="n" orientation="right" tick={{ fontSize: 11 }} allowDecimals={false} />
                <Tooltip formatter={(v) => (typeof v === "number" && v <= 1 ? num(v) : String(v))} labelFormatter={(v) => `bin around ${num(Number(v), 2)}`} />
                <Legend wrapperStyle={{ fontSize: 11 }} />
                <Bar yAxisId="n" dataKey="count" name="labels in bin" fill="#cbd5e1" barSize={14} isAnimationActive={false} />
                <ReferenceLine
                  yAxisId="p"
                  segment={[
                    { x: 0, y: 0 },
                    { x: 1, y: 1 },
                  ]}
                  stroke="#94a3b8"
                  strokeDasharray="4 4"
                  ifOverflow="extendDomain"
                />
                <Line yAxisId="p" dataKey="accuracy" name="observed (share right)" stroke="#0f172a" dot isAnimationActive={false} />
                <Line yAxisId="p" dataKey="confidence" name="predicted (mean)" stroke="#f97316" strokeDasharray="2 2" dot={false} isAnimationActive={false} />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
          <table className="text-xs tabular-nums" data-testid="reliability-bins">
            <thead>
              <tr className="text-slate-500">
                <th className="pr-3 text-left font-medium">bin</th>
                <th className="pr-3 text-right font-medium">predicted</th>
                <th className="pr-3 text-right font-medium">observed</th>
                <th className="text-right font-medium">labels</th>
              </tr>
            </thead>
            <tbody>
              {bins.map((b) => (
                <tr key={b.lower}>
                  <td className="pr-3">
                    {num(b.lower, 2)}–{num(b.upper, 2)}
                  </td>
                  <td className="pr-3 text-right">{num(b.confidence)}</td>
                  <td className="pr-3 text-right">{num(b.accuracy)}</td>
                  <td className="text-right">{b.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="text-xs text-slate-500">No reliability bins yet: evaluate the version on a gold set to see them.</p>
      )}
    </div>
  );
}
