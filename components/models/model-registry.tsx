"use client";

import { useState } from "react";
import { useModelRegistry, usePromoteModel, useRollbackModel, useShadowModel, useTrainModel, useEvaluateModel } from "@/components/hooks/use-models.ts";
import type { TModelVersionSummary, TTrainingRun } from "@/lib/registry/contract.ts";
import { buttonClass, ErrorBanner, PageHeader, secondaryButtonClass } from "@/components/ui/page-header.tsx";
import { num, signed, when } from "./format.ts";
import { StatusBadge } from "./status-badge.tsx";
import { ThresholdPanel } from "./threshold-panel.tsx";
import { UploadPanel } from "./upload-panel.tsx";
import { VersionDetail } from "./version-detail.tsx";

const UNFINISHED = new Set(["queued", "training", "evaluating"]);

export function ModelRegistry({ canManage }: { canManage: boolean }) {
  const registry = useModelRegistry();
  const train = useTrainModel();
  const rollback = useRollbackModel();
  const shadow = useShadowModel();
  const evaluate = useEvaluateModel();
  const promote = usePromoteModel();
  const [selectedId, setSelectedId] = useState<number | null>(null);

  const data = registry.data;
  const versions = data?.versions ?? [];
  const active = versions.find((v) => v.id === data?.activeModelVersionId) ?? null;
  const selected = versions.find((v) => v.id === selectedId) ?? null;
  const rollbackTarget = versions.find((v) => v.id === data?.rollbackTargetId) ?? null;
  const latestRun = data?.runs[0] ?? null;
  const earlierRuns = data?.runs.slice(1) ?? [];
  const isRunning = latestRun !== null && UNFINISHED.has(latestRun.status);
  const error = registry.error ?? train.error ?? rollback.error ?? shadow.error ?? evaluate.error;

  return (
    <div className="mx-auto max-w-[1400px] px-4 py-4">
      <PageHeader
        title="Models"
        description={
          data ? (
            <>
              Every version measured on the same unbiased gold set: <span data-testid="gold-set">{data.goldSet.n} labels</span> ({data.goldSet.heldOut} imported
              held-out, {data.goldSet.audit} from the random audit slice), flag threshold {num(data.flagThreshold, 2)}.
            </>
          ) : (
            "Loading…"
          )
        }
        actions={
          canManage && (
            <div className="flex gap-2">
              {rollbackTarget && (
                <button
                  type="button"
                  className={secondaryButtonClass}
                  disabled={rollback.isPending}
                  onClick={() => rollback.mutate({ expectedActiveId: data?.activeModelVersionId ?? null })}
                  title="Re-promote the version that was active before"
                >
                  {rollback.isPending ? "Rolling back…" : `Roll back to ${rollbackTarget.version}`}
                </button>
              )}
              <button type="button" className={buttonClass} disabled={train.isPending || isRunning} onClick={() => train.mutate()}>
                {isRunning ? "Training…" : "Train new version"}
              </button>
            </div>
          )
        }
      />
      <ErrorBanner error={error} />

      {latestRun && (
        <div data-testid="training-status" className="mb-3 flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-2 text-[13px]">
          <span className="font-medium">Latest training</span>
          <StatusBadge status={latestRun.status} />
          <span className="text-slate-600">{latestRun.message}</span>
          {latestRun.status === "queued" && Date.now() - Date.parse(latestRun.createdAt) > 30_000 && (
            <span className="text-xs text-amber-700">Still waiting: is a background worker running (`npm run worker`)?</span>
          )}
          <span className="ml-auto text-xs text-slate-500">
            <RunTrigger run={latestRun} />
            {when(latestRun.createdAt)}
          </span>
        </div>
      )}
      {earlierRuns.length > 0 && (
        <details data-testid="training-runs" className="mb-3 rounded-md border border-slate-200 bg-white px-3 py-2 text-[13px]">
          <summary className="cursor-pointer text-slate-600">Earlier training runs ({earlierRuns.length})</summary>
          <ul className="mt-2 divide-y divide-slate-100">
            {earlierRuns.map((run) => (
              <li key={run.id} data-testid="training-run" className="flex flex-wrap items-start gap-2 py-1.5">
                <StatusBadge status={run.status} />
                <span className="min-w-0 flex-1 text-slate-600">{run.message}</span>
                <span className="text-xs whitespace-nowrap text-slate-500">
                  <RunTrigger run={run} />
                  {when(run.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}

      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-[13px]" data-testid="model-versions">
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-[11px] font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-3 py-2">Version</th>
              <th className="px-3 py-2">Trained</th>
              <th className="px-2 py-2 text-right" title="Binary toxic vs non-toxic at the flag threshold">
                Binary P / R / F1 / AUC
              </th>
              <th className="px-2 py-2 text-right" title="Per-category macro average; AUC one-vs-rest">
                Macro P / R / F1 / AUC
              </th>
              <th className="px-2 py-2 text-right">Acc.</th>
              <th className="px-2 py-2 text-right">n</th>
              <th className="px-2 py-2 text-right" title="Macro F1 minus the active version's (stored evaluations)">
                Δ macro F1
              </th>
              {canManage && <th className="px-3 py-2 text-right">Actions</th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {versions.map((v) => (
              <VersionRow
                key={v.id}
                v={v}
                active={active}
                isSelected={v.id === selectedId}
                canManage={canManage}
                onSelect={() => setSelectedId(v.id === selectedId ? null : v.id)}
                onShadow={(isShadow) => shadow.mutate({ id: v.id, isShadow })}
                onEvaluate={() => evaluate.mutate(v.id)}
                isBusy={shadow.isPending || evaluate.isPending || promote.isPending}
                goldN={data?.goldSet.n ?? 0}
              />
            ))}
            {versions.length === 0 && !registry.isLoading && (
              <tr>
                <td colSpan={8} className="px-3 py-10 text-center text-slate-500">
                  No model versions yet.{canManage ? " Train the first one from the current labels." : ""}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      {selected && data && <VersionDetail version={selected} active={active} categories={data.categories} canManage={canManage} promote={promote} />}

      <div className="mt-4 grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <ThresholdPanel canManage={canManage} hasActive={active !== null} />
        {canManage && <UploadPanel />}
      </div>
    </div>
  );
}

/** Who asked for a run: "by Dana Scientist, " or, for the worker's runs, "automatic, after 200 new labels, ". */
function RunTrigger({ run }: { run: TTrainingRun }) {
  if (run.isAuto)
    return (
      <span data-testid="run-trigger" className="text-indigo-600">
        {run.requestedByLabel},{" "}
      </span>
    );
  return run.requestedBy ? <>by {run.requestedBy}, </> : null;
}

function VersionRow(props: {
  v: TModelVersionSummary;
  active: TModelVersionSummary | null;
  isSelected: boolean;
  canManage: boolean;
  isBusy: boolean;
  onSelect: () => void;
  onShadow: (isShadow: boolean) => void;
  onEvaluate: () => void;
  /** the gold set's size now (the header's figure) */
  goldN: number;
}) {
  const { v, active, isSelected, canManage, isBusy, goldN } = props;
  const ev = v.metrics.evaluation;
  const activeEv = active?.metrics.evaluation;
  const delta = ev?.fineGrained.macro && activeEv?.fineGrained.macro && v.id !== active?.id ? ev.fineGrained.macro.f1 - activeEv.fineGrained.macro.f1 : null;
  const training = v.training;
  return (
    <tr
      data-testid="version-row"
      className={`cursor-pointer align-top hover:bg-slate-50 ${isSelected ? "bg-indigo-50" : ""}`}
      onClick={props.onSelect}
      // the row opens its details: reachable by keyboard like the buttons in it
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.target === e.currentTarget && (e.key === "Enter" || e.key === " ")) {
          e.preventDefault();
          props.onSelect();
        }
      }}
    >
      <td className="px-3 py-2">
        <div className="flex items-center gap-2">
          <span className="font-mono text-xs font-medium">{v.version}</span>
          <StatusBadge status={v.status} />
        </div>
        <div className="text-[11px] text-slate-500">
          {v.kind}
          {ev ? ` · evaluated ${when(ev.evaluatedAt)}` : " · not evaluated"}
          {v.isEvaluationStale && ev && (
            <span
              className="ml-1 text-amber-700"
              data-testid="stale-evaluation"
              title="The gold set's labels differ from the ones this version was measured on (new audit labels, corrections). Re-evaluate to compare it with the others on the same items."
            >
              {ev.n === goldN ? "(gold labels changed since: re-evaluate)" : `(measured on ${ev.n}; the gold set now has ${goldN}: re-evaluate)`}
            </span>
          )}
        </div>
      </td>
      <td className="px-3 py-2 text-xs text-slate-600">
        <div>
          {v.trainedBy ?? (v.isAutoTrained ? "automatic retrain" : "—")} · {when(v.createdAt)}
        </div>
        <div className="text-[11px] text-slate-500" title={training?.dataset}>
          {training ? `${training.examples.toLocaleString()} labels · ${training.baseModel}` : ""}
          {v.metrics.trainingSet ? ` · set ${v.metrics.trainingSet.sha256.slice(0, 8)}` : ""}
        </div>
      </td>
      <td className="px-2 py-2 text-right font-mono text-xs tabular-nums whitespace-nowrap">
        {ev ? `${num(ev.binary.precision)} / ${num(ev.binary.recall)} / ${num(ev.binary.f1)} / ${num(ev.binary.rocAuc)}` : "–"}
      </td>
      <td className="px-2 py-2 text-right font-mono text-xs tabular-nums whitespace-nowrap">
        {ev?.fineGrained.macro
          ? `${num(ev.fineGrained.macro.precision)} / ${num(ev.fineGrained.macro.recall)} / ${num(ev.fineGrained.macro.f1)} / ${num(ev.fineGrained.macro.rocAuc)}`
          : "–"}
      </td>
      <td className="px-2 py-2 text-right font-mono text-xs tabular-nums">{num(ev?.fineGrained.accuracy)}</td>
      <td className="px-2 py-2 text-right font-mono text-xs tabular-nums" data-testid="gold-n">
        {ev ? ev.n : "–"}
      </td>
      <td
        className={`px-2 py-2 text-right font-mono text-xs tabular-nums ${delta === null ? "text-slate-500" : delta < 0 ? "text-rose-700" : "text-emerald-700"}`}
      >
        {signed(delta)}
      </td>
      {canManage && (
        // biome-ignore lint/a11y/useKeyWithClickEvents: only stops a click on the buttons inside from selecting the row; the buttons have their own keys
        <td className="px-3 py-2 text-right whitespace-nowrap" onClick={(e) => e.stopPropagation()}>
          {v.status !== "active" && (
            <button type="button" className={`${secondaryButtonClass} mr-1 px-2 py-1 text-xs`} onClick={props.onSelect}>
              Promote…
            </button>
          )}
          {(v.status === "candidate" || v.status === "archived") && (
            <button type="button" className={`${secondaryButtonClass} mr-1 px-2 py-1 text-xs`} disabled={isBusy} onClick={() => props.onShadow(true)}>
              Shadow
            </button>
          )}
          {v.status === "shadow" && (
            <button type="button" className={`${secondaryButtonClass} mr-1 px-2 py-1 text-xs`} disabled={isBusy} onClick={() => props.onShadow(false)}>
              Stop shadow
            </button>
          )}
          {(!ev || v.isEvaluationStale) && (
            <button type="button" className={`${secondaryButtonClass} px-2 py-1 text-xs`} disabled={isBusy} onClick={props.onEvaluate}>
              Evaluate
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
