"use client";

import type { UseMutationResult } from "@tanstack/react-query";
import type { ApiError } from "@/lib/fetcher.ts";
import { usePromotionCheck } from "@/components/hooks/use-models.ts";
import type { TModelRegistry, TModelVersionSummary, TPromoteModelVersionResult } from "@/lib/registry/contract.ts";
import { buttonClass, ErrorBanner } from "@/components/ui/page-header.tsx";
import { num, signed } from "./format.ts";
import { ReliabilityDiagram } from "./reliability-diagram.tsx";

type TProps = {
  version: TModelVersionSummary;
  active: TModelVersionSummary | null;
  categories: TModelRegistry["categories"];
  canManage: boolean;
  promote: UseMutationResult<TPromoteModelVersionResult, ApiError, { id: number; isConfirmed: boolean; expectedActiveId: number | null }>;
};

export function VersionDetail({ version, active, categories, canManage, promote }: TProps) {
  const isActive = version.id === active?.id;
  const check = usePromotionCheck(isActive ? null : version.id);
  const ev = version.metrics.evaluation;
  const activeEv = active?.metrics.evaluation;
  const nameOf = (id: number) => categories.find((c) => c.id === id)?.name ?? `#${id}`;
  const activeF1 = new Map(activeEv ? activeEv.categoryIds.map((id, j) => [id, activeEv.fineGrained.perCategory[j]?.f1]) : []);
  const c = check.data?.comparison;
  const isWorse = check.data?.isWorse ?? false;
  const maxCell = ev ? Math.max(1, ...ev.fineGrained.confusion.matrix.flat()) : 1;

  return (
    <section data-testid="version-detail" className="mt-4 rounded-lg border border-slate-200 bg-white p-3 text-[13px]">
      <div className="mb-2 flex flex-wrap items-baseline gap-2">
        <h2 className="text-sm font-semibold">{version.version}</h2>
        <span className="text-xs text-slate-500">
          {isActive ? "the active version" : active ? `compared with the active ${active.version}` : "no active version yet"}
        </span>
      </div>

      {!isActive && (
        <div className="mb-3">
          {check.isLoading && <p className="text-xs text-slate-500">Comparing with the active version on the gold set…</p>}
          {c && (
            <div
              data-testid="promotion-check"
              role={isWorse ? "alert" : undefined}
              className={`rounded-md border px-3 py-2 ${isWorse ? "border-rose-200 bg-rose-50 text-rose-900" : "border-slate-200 bg-slate-50 text-slate-700"}`}
            >
              {isWorse ? <strong>Worse than the active version on the gold set. </strong> : <strong>Not worse than the active version beyond noise. </strong>}
              On {c.n} gold labels: binary F1 {num(c.binaryF1.candidate)} vs {num(c.binaryF1.active)} ({signed(c.binaryF1.delta)}, noise ±
              {num(c.binaryF1.margin)}), macro F1 {num(c.macroF1.candidate)} vs {num(c.macroF1.active)} ({signed(c.macroF1.delta)}, noise ±
              {num(c.macroF1.margin)}).
            </div>
          )}
          <ErrorBanner error={check.error ?? promote.error} />
          {canManage && (
            <div className="mt-2 flex items-center gap-2">
              <button
                type="button"
                className={
                  isWorse ? "rounded-md bg-rose-700 px-3 py-1.5 text-[13px] font-medium text-white hover:bg-rose-600 disabled:opacity-50" : buttonClass
                }
                disabled={promote.isPending || check.isLoading}
                onClick={() => promote.mutate({ id: version.id, isConfirmed: isWorse, expectedActiveId: active?.id ?? null })}
              >
                {promote.isPending ? "Promoting…" : isWorse ? "Promote anyway" : "Promote to active"}
              </button>
              <span className="text-xs text-slate-500">New excerpts and the open queue are re-scored in the background; moderators keep working.</span>
            </div>
          )}
        </div>
      )}

      {!ev ? (
        <p className="text-slate-500">Not evaluated yet.</p>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          <div>
            <h3 className="mb-1 text-xs font-semibold text-slate-500 uppercase">Per category (F1 against the active version)</h3>
            <table className="w-full text-[12px]" data-testid="category-diff">
              <thead className="text-left text-[11px] text-slate-500">
                <tr>
                  <th className="py-1">Category</th>
                  <th className="py-1 text-right">Support</th>
                  <th className="py-1 text-right">P</th>
                  <th className="py-1 text-right">R</th>
                  <th className="py-1 text-right">F1</th>
                  <th className="py-1 text-right">Active F1</th>
                  <th className="py-1 text-right">Δ F1</th>
                  <th className="py-1 text-right">AUC</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 font-mono tabular-nums">
                {ev.fineGrained.perCategory.map((row, j) => {
                  const id = ev.categoryIds[j];
                  const other = activeF1.get(id);
                  const delta = !isActive && other !== undefined ? row.f1 - other : null;
                  return (
                    <tr key={id}>
                      <td className="py-1 font-sans">{nameOf(id)}</td>
                      <td className="py-1 text-right">{row.support}</td>
                      <td className="py-1 text-right">{num(row.precision)}</td>
                      <td className="py-1 text-right">{num(row.recall)}</td>
                      <td className="py-1 text-right">{num(row.f1)}</td>
                      <td className="py-1 text-right text-slate-500">{num(other)}</td>
                      <td className={`py-1 text-right ${delta === null ? "text-slate-500" : delta < 0 ? "text-rose-700" : "text-emerald-700"}`}>
                        {signed(delta)}
                      </td>
                      <td className="py-1 text-right">{num(row.rocAuc)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p className="mt-2 text-[11px] text-slate-500">
              Binary F1 {num(ev.binary.f1)} (95% CI {num(ev.binary.f1Interval.lower)}–{num(ev.binary.f1Interval.upper)}) at threshold {num(ev.threshold, 2)},
              average precision {num(ev.binary.averagePrecision)}.
            </p>
          </div>
          <div>
            <h3 className="mb-1 text-xs font-semibold text-slate-500 uppercase">Confusion matrix (rows: gold label, columns: model)</h3>
            <div className="overflow-x-auto">
              <table className="text-[11px]" data-testid="version-confusion">
                <thead>
                  <tr>
                    <th />
                    {ev.categoryIds.map((id) => (
                      <th key={id} className="max-w-20 truncate px-1 font-medium text-slate-500" title={nameOf(id)}>
                        {nameOf(id)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {ev.fineGrained.confusion.matrix.map((row, i) => (
                    <tr key={ev.categoryIds[i]}>
                      <th className="pr-2 text-left font-medium text-slate-500">{nameOf(ev.categoryIds[i])}</th>
                      {row.map((n, j) => (
                        <td
                          // biome-ignore lint/suspicious/noArrayIndexKey: a matrix cell is identified by its column
                          key={j}
                          className={`h-7 min-w-10 px-1 text-center tabular-nums ${i === j ? "font-semibold" : ""}`}
                          style={{
                            backgroundColor:
                              n === 0 ? undefined : i === j ? `rgba(16,185,129,${0.15 + (0.6 * n) / maxCell})` : `rgba(244,63,94,${0.1 + (0.6 * n) / maxCell})`,
                          }}
                        >
                          {n}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h3 className="mt-3 mb-1 text-xs font-semibold text-slate-500 uppercase">Trained on</h3>
            <p className="text-[12px] text-slate-600">
              {version.training?.dataset ?? "—"}
              {version.metrics.trainingSet && (
                <>
                  <br />
                  {Object.entries(version.metrics.trainingSet.countsByCategory)
                    .map(([id, n]) => `${nameOf(Number(id))} ${n}`)
                    .join(" · ")}
                  {` · gold set excluded (${version.metrics.trainingSet.goldExcluded}) · sha256 ${version.metrics.trainingSet.sha256.slice(0, 12)}`}
                </>
              )}
            </p>
            {version.training && Object.keys(version.training.params).length > 0 && (
              <p className="mt-1 font-mono text-[11px] break-all text-slate-500">
                {Object.entries(version.training.params)
                  .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
                  .join(" ")}
              </p>
            )}
          </div>
        </div>
      )}
      <div className="mt-3">
        <ReliabilityDiagram reliability={ev?.calibration?.reliability ?? null} calibration={version.calibration ?? null} />
      </div>
    </section>
  );
}
