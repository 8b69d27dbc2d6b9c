"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { useUpdateWorkspaceSettings } from "@/components/hooks/use-update-workspace-settings.ts";
import { DEFAULT_MAX_SIMILARITY } from "@/lib/ranking/diversify.ts";
import { UNCERTAINTY_STRATEGIES } from "@/lib/ranking/rank.ts";
import { DEFAULT_RETRAIN_EVERY, MIN_GOLD_FOR_AUTO_PROMOTION, RETRAIN_EVERY_CHOICES } from "@/lib/registry/auto-retrain.ts";
import type { TWorkspaceSettings } from "@/lib/workspace/contract.ts";
import { buttonClass, ErrorBanner, inputClass, PageHeader } from "@/components/ui/page-header.tsx";

const STRATEGIES: { value: TWorkspaceSettings["rankStrategy"]; label: string; hint: string }[] = [
  { value: "least_confidence", label: "Least confidence", hint: "where the model's top probability is lowest" },
  { value: "margin", label: "Margin", hint: "where the top two categories are closest" },
  { value: "entropy", label: "Entropy", hint: "where the probabilities are most spread out" },
  { value: "toxic_score", label: "Highest toxic score", hint: "most likely toxic first" },
  { value: "random", label: "Random", hint: "uniformly random order" },
  { value: "oldest", label: "Oldest", hint: "in the order the lines were said" },
];

const isUncertainty = (strategy: string) => (UNCERTAINTY_STRATEGIES as readonly string[]).includes(strategy);

/** What the strategy serves first, as the flagged tier changes it (uncertainty strategies only). */
function strategyHint(strategy: TWorkspaceSettings["rankStrategy"], isFlaggedFirst: boolean): string {
  const hint = STRATEGIES.find((s) => s.value === strategy)?.hint ?? "";
  return isUncertainty(strategy) && isFlaggedFirst ? `flagged first, then ${hint}` : hint;
}

const SPACING_OFF = "off";
const SPACING_CHOICES = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const RETRAIN_OFF = "off";

/** The select's numeric choices in order; a value set through the API that is not one of them still shows as itself. */
function choicesWith(choices: readonly number[], current: string, off: string): string[] {
  const out = choices.map(String);
  if (current !== off && !out.includes(current)) out.push(current);
  return out.sort((a, b) => Number(a) - Number(b));
}

export function SettingsAdmin({ initial }: { initial: TWorkspaceSettings }) {
  const update = useUpdateWorkspaceSettings();
  const [form, setForm] = useState({
    flagThreshold: String(initial.flagThreshold),
    rankStrategy: initial.rankStrategy,
    isFlaggedFirst: initial.isFlaggedFirst ?? false,
    maxSimilarity: initial.maxSimilarity == null ? SPACING_OFF : String(initial.maxSimilarity),
    randomShare: String(Math.round(initial.randomShare * 100)),
    overlapShare: String(Math.round((initial.overlapShare ?? 0.05) * 100)),
    leaseSeconds: String(initial.leaseSeconds),
    retrainEvery: initial.retrainEvery == null ? RETRAIN_OFF : String(initial.retrainEvery),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({
      flagThreshold: Number(form.flagThreshold),
      rankStrategy: form.rankStrategy,
      isFlaggedFirst: form.isFlaggedFirst,
      maxSimilarity: form.maxSimilarity === SPACING_OFF ? null : Number(form.maxSimilarity),
      randomShare: Number(form.randomShare) / 100,
      overlapShare: Number(form.overlapShare) / 100,
      leaseSeconds: Number(form.leaseSeconds),
      retrainEvery: form.retrainEvery === RETRAIN_OFF ? null : Number(form.retrainEvery),
    });
  };

  const spacingChoices = choicesWith(SPACING_CHOICES, form.maxSimilarity, SPACING_OFF);
  const retrainChoices = choicesWith(RETRAIN_EVERY_CHOICES, form.retrainEvery, RETRAIN_OFF);
  const isUncertaintyRanking = isUncertainty(form.rankStrategy);

  return (
    <div className="max-w-2xl">
      <PageHeader title="Queue settings" description="How the review queue is ranked, how long a moderator holds claimed items, and when the model retrains." />
      <ErrorBanner error={update.error} />
      {update.data && (
        <div role="status" className="mb-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-[13px] text-emerald-800">
          Saved.{update.data.isRequeued ? " The open queue was re-ranked with the new settings." : ""}
        </div>
      )}
      <form onSubmit={onSubmit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 text-[13px]">
        <SettingRow
          label="Flag threshold"
          hint="An excerpt is flagged when its toxic score (1 − p(non-toxic)) reaches this. Flagged items come before all others only when they are served first (below)."
        >
          <input
            type="number"
            step="0.01"
            min={0}
            max={1}
            value={form.flagThreshold}
            onChange={(e) => setForm({ ...form, flagThreshold: e.target.value })}
            className={`${inputClass} w-24`}
          />
        </SettingRow>
        <SettingRow label="Ranking" hint={strategyHint(form.rankStrategy, form.isFlaggedFirst)}>
          <select
            value={form.rankStrategy}
            onChange={(e) => setForm({ ...form, rankStrategy: e.target.value as TWorkspaceSettings["rankStrategy"] })}
            className={inputClass}
          >
            {STRATEGIES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </SettingRow>
        <SettingRow
          label="Flagged tier"
          as="div"
          hint="Every flagged item before any unflagged one, for least confidence, margin and entropy. Off for new workspaces: on validation data the model learnt faster without it, because its most useful questions sit just below the threshold as often as above it."
        >
          <label className="flex items-center gap-2 pt-1">
            <input
              type="checkbox"
              checked={form.isFlaggedFirst}
              onChange={(e) => setForm({ ...form, isFlaggedFirst: e.target.checked })}
              disabled={!isUncertaintyRanking}
            />
            Serve flagged items first
          </label>
        </SettingRow>
        <SettingRow
          label="Space out near-duplicates"
          hint="Among the next 1,000 items, a line at least this similar (shared words and character n-grams) to one served earlier waits until the others are done, so a round is not spent on copies of one message. Lower spaces out more. For least confidence, margin and entropy."
        >
          <select
            value={form.maxSimilarity}
            onChange={(e) => setForm({ ...form, maxSimilarity: e.target.value })}
            className={inputClass}
            disabled={!isUncertaintyRanking}
          >
            <option value={SPACING_OFF}>Off</option>
            {spacingChoices.map((v) => (
              <option key={v} value={v}>
                {v} similarity{Number(v) === DEFAULT_MAX_SIMILARITY ? " (default)" : ""}
              </option>
            ))}
          </select>
        </SettingRow>
        <SettingRow label="Random audit share" hint="Share of the queue served at random (flagged or not), so model accuracy can be measured without bias.">
          <span className="flex items-center gap-1">
            <input
              type="number"
              step="1"
              min={0}
              max={50}
              value={form.randomShare}
              onChange={(e) => setForm({ ...form, randomShare: e.target.value })}
              className={`${inputClass} w-20`}
            />
            %
          </span>
        </SettingRow>
        <SettingRow
          label="Overlap share"
          hint="Share of new queue items labelled by two moderators, to measure inter-annotator agreement. When they disagree, the item goes to adjudication by a senior moderator."
        >
          <span className="flex items-center gap-1">
            <input
              type="number"
              step="1"
              min={0}
              max={50}
              value={form.overlapShare}
              onChange={(e) => setForm({ ...form, overlapShare: e.target.value })}
              className={`${inputClass} w-20`}
            />
            %
          </span>
        </SettingRow>
        <SettingRow label="Lease" hint="How long claimed items stay reserved for one moderator before returning to the queue. Late decisions are still kept.">
          <span className="flex items-center gap-1">
            <input
              type="number"
              step="1"
              min={30}
              max={86400}
              value={form.leaseSeconds}
              onChange={(e) => setForm({ ...form, leaseSeconds: e.target.value })}
              className={`${inputClass} w-24`}
            />
            seconds
          </span>
        </SettingRow>
        <SettingRow
          label="Retrain automatically"
          hint={
            <>
              After this many new labels from moderators, the background worker trains a new version of the quick model. It replaces the active version only
              when it is not worse on the gold set (at least {MIN_GOLD_FOR_AUTO_PROMOTION} held-out or audit labels); otherwise it stays a candidate on the
              Models page, with the reason, for a data scientist to look at.
            </>
          }
        >
          <select value={form.retrainEvery} onChange={(e) => setForm({ ...form, retrainEvery: e.target.value })} className={inputClass}>
            <option value={RETRAIN_OFF}>Off</option>
            {retrainChoices.map((v) => (
              <option key={v} value={v}>
                every {Number(v).toLocaleString("en-US")} new labels{Number(v) === DEFAULT_RETRAIN_EVERY ? " (default)" : ""}
              </option>
            ))}
          </select>
        </SettingRow>
        <div className="flex justify-end">
          <button type="submit" className={buttonClass} disabled={update.isPending}>
            {update.isPending ? "Saving…" : "Save settings"}
          </button>
        </div>
      </form>
    </div>
  );
}

/** One row of the form: the setting's name, its control and a hint below. A row whose control has its own <label> renders as a div. */
function SettingRow({ label, hint, as: Row = "label", children }: { label: string; hint: ReactNode; as?: "label" | "div"; children: ReactNode }) {
  return (
    <Row className="grid grid-cols-[180px_1fr] items-start gap-3">
      <span className="pt-1 font-medium">{label}</span>
      <span>
        {children}
        <span className="mt-1 block text-xs text-slate-500">{hint}</span>
      </span>
    </Row>
  );
}
