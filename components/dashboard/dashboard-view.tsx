"use client";

import { DateInput } from "@/components/ui/date-input.tsx";
import Link from "next/link";
import { type ReactNode, useCallback, useMemo, useState } from "react";
import { MIN_LABELS_FOR_POINT } from "@/lib/dashboard/aggregate.ts";
import { useWorkspace } from "@/components/hooks/workspace-context.tsx";
import { workspaceApiPath, workspacePath } from "@/lib/workspace/paths.ts";
import {
  type TDashboardFilterState,
  dashboardQueryString,
  useDashboardAccuracy,
  useDashboardAgreement,
  useDashboardCell,
  useDashboardOptions,
  useDashboardTeam,
  useDashboardCorrections,
  useDashboardToxicity,
  useRefreshDashboard,
} from "@/components/hooks/use-dashboard.ts";
import { ErrorBanner, PageHeader, inputClass, secondaryButtonClass } from "@/components/ui/page-header.tsx";
import { RateChart, SmallSampleNote, TimeBars, type TLegendItem, type TSeries } from "./charts.tsx";
import { periodKeyToMs, shortVersionLabels } from "@/lib/charts/time-axis.ts";
import { formatDate, formatDateTime } from "@/lib/format/date.ts";
import { VisibleText } from "@/components/ui/visible-text.tsx";

const PALETTE = ["#4f46e5", "#0891b2", "#db2777", "#ca8a04", "#16a34a", "#9333ea"];
const EMPTY: TDashboardFilterState = {
  from: "",
  to: "",
  game: "",
  channel: "",
  source: "",
  categoryId: "",
  modelVersionId: "",
  granularity: "week",
  slice: "audit",
};
/** Below this many labels a figure is flagged as resting on a small sample (hollow points, a note). */
const SMALL_SAMPLE = 30;
const pct = (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(digits)}%`);

export function DashboardView() {
  const { slug } = useWorkspace();
  const [filters, setFilters] = useState<TDashboardFilterState>(EMPTY);
  const [cell, setCell] = useState<{ suggested: number; label: number } | null>(null);
  const options = useDashboardOptions();
  const accuracy = useDashboardAccuracy(filters);
  const toxicity = useDashboardToxicity(filters);
  const team = useDashboardTeam(filters);
  const corrections = useDashboardCorrections(filters);
  const agreement = useDashboardAgreement(filters);
  const drill = useDashboardCell(filters, cell);
  const refresh = useRefreshDashboard();
  const set = (key: keyof TDashboardFilterState) => (e: { target: { value: string } }) => {
    setCell(null);
    setFilters((f) => ({ ...f, [key]: e.target.value }));
  };

  const categories = options.data?.categories ?? accuracy.data?.categories ?? [];
  const catName = (id: number | null) => categories.find((c) => c.id === id)?.name ?? (id === null ? "–" : `#${id}`);
  const models = options.data?.models ?? [];
  const versionName = useCallback((id: number) => models.find((m) => m.id === id)?.version ?? `v#${id}`, [models]);
  // legend-sized names, unique across the registry (versions trained the same minute get their seconds)
  const shortNames = useMemo(() => {
    const labels = shortVersionLabels(models.map((m) => m.version));
    return new Map(models.map((m, i) => [m.id, labels[i]]));
  }, [models]);
  const shortName = useCallback((id: number) => shortNames.get(id) ?? `v#${id}`, [shortNames]);
  const csv = (report: string, table: string) => workspaceApiPath(slug, `dashboard/${report}?${dashboardQueryString(filters, { format: "csv", table })}`);

  // Promotion markers: the moment each version went live, on the same real time axis as the points.
  const markers = useMemo(
    () => models.filter((m) => m.promotedAt).map((m) => ({ t: Date.parse(m.promotedAt!), label: shortNames.get(m.id) ?? m.version, fullLabel: m.version })),
    [models, shortNames],
  );

  // One line per model version; thin periods are gaps (null) with their wide band still drawn.
  const accuracyChart = useMemo(() => {
    const trends = accuracy.data?.trends ?? [];
    const versions = [...new Set(trends.map((t) => t.modelVersionId))];
    const byPeriod = new Map<string, Record<string, unknown>>();
    const selectedCategory = filters.categoryId ? Number(filters.categoryId) : null;
    for (const t of trends) {
      const row = byPeriod.get(t.period) ?? { period: t.period, t: periodKeyToMs(t.period) };
      row[`n_${t.modelVersionId}`] = t.labels;
      row[`agree_${t.modelVersionId}`] = t.isThin ? null : t.agreement.estimate;
      row[`agreeBand_${t.modelVersionId}`] = [t.agreement.lower, t.agreement.upper];
      row[`f1_${t.modelVersionId}`] = t.isThin ? null : selectedCategory ? (t.perCategory[selectedCategory]?.f1 ?? null) : t.binary.f1.estimate;
      row[`f1Band_${t.modelVersionId}`] = selectedCategory ? undefined : [t.binary.f1.lower, t.binary.f1.upper];
      row[`p_${t.modelVersionId}`] = t.isThin ? null : selectedCategory ? (t.perCategory[selectedCategory]?.precision ?? null) : t.binary.precision.estimate;
      row[`r_${t.modelVersionId}`] = t.isThin ? null : selectedCategory ? (t.perCategory[selectedCategory]?.recall ?? null) : t.binary.recall.estimate;
      byPeriod.set(t.period, row);
    }
    const data = [...byPeriod.values()].sort((a, b) => String(a.period).localeCompare(String(b.period)));
    const agreeSeries: TSeries[] = versions.map((v, i) => ({
      key: `agree_${v}`,
      bandKey: `agreeBand_${v}`,
      nKey: `n_${v}`,
      label: shortName(v),
      fullLabel: `agreement · ${versionName(v)}`,
      color: PALETTE[i % PALETTE.length],
    }));
    // colour = model version, line style = metric: a legend of versions plus one key for the styles,
    // instead of three long entries per version
    const prfSeries: TSeries[] = versions.flatMap((v, i) => [
      {
        key: `f1_${v}`,
        bandKey: selectedCategory ? undefined : `f1Band_${v}`,
        nKey: `n_${v}`,
        label: "F1",
        fullLabel: `F1 · ${versionName(v)}`,
        color: PALETTE[i % PALETTE.length],
      },
      { key: `p_${v}`, nKey: `n_${v}`, label: "precision", fullLabel: `precision · ${versionName(v)}`, color: PALETTE[i % PALETTE.length], dash: "6 3" },
      { key: `r_${v}`, nKey: `n_${v}`, label: "recall", fullLabel: `recall · ${versionName(v)}`, color: PALETTE[i % PALETTE.length], dash: "2 3" },
    ]);
    const prfLegend: TLegendItem[] = [
      ...versions.map((v, i) => ({ label: shortName(v), fullLabel: versionName(v), color: PALETTE[i % PALETTE.length] })),
      { label: "F1", color: "#64748b" },
      { label: "precision", color: "#64748b", dash: "6 3" },
      { label: "recall", color: "#64748b", dash: "2 3" },
    ];
    const thin = trends.filter((t) => t.isThin).length;
    const small = trends.filter((t) => t.labels < SMALL_SAMPLE).length;
    return { data, agreeSeries, prfSeries, prfLegend, thin, small };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [accuracy.data, filters.categoryId, versionName, shortName]);

  const toxicityChart = useMemo(
    () =>
      (toxicity.data?.trends ?? []).map((t) => ({
        period: t.period,
        t: periodKeyToMs(t.period),
        nScored: t.scored,
        nLabelled: t.labelled,
        flagged: t.flaggedRate.estimate,
        flaggedBand: [t.flaggedRate.lower, t.flaggedRate.upper],
        confirmed: t.labelled >= MIN_LABELS_FOR_POINT ? t.confirmedToxicRate.estimate : null,
        confirmedBand: t.labelled > 0 ? [t.confirmedToxicRate.lower, t.confirmedToxicRate.upper] : undefined,
      })),
    [toxicity.data],
  );

  const conf = accuracy.data?.confusion;
  const maxCell = conf ? Math.max(1, ...conf.matrix.flat()) : 1;
  const error = options.error ?? accuracy.error ?? toxicity.error ?? team.error ?? corrections.error ?? agreement.error ?? refresh.error;

  return (
    <div className="mx-auto max-w-[1400px] px-4 py-4">
      <PageHeader
        title="Dashboard"
        description={
          <>
            Is the model getting better, where does it fail, is the team keeping up?{" "}
            {options.data?.refreshedAt ? (
              <>
                Data as of <span data-testid="refreshed-at">{formatDateTime(options.data.refreshedAt)}</span>.
              </>
            ) : (
              <span data-testid="refreshed-at">Not computed yet: Refresh now fills it from the labels so far.</span>
            )}
          </>
        }
        actions={
          <button type="button" className={secondaryButtonClass} onClick={() => refresh.mutate()} disabled={refresh.isPending}>
            {refresh.isPending ? "Refreshing…" : "Refresh now"}
          </button>
        }
      />
      <ErrorBanner error={error} />
      <form
        aria-label="Dashboard filters"
        className="mb-4 flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-2.5 text-[13px]"
        onSubmit={(e) => e.preventDefault()}
      >
        <Field label="From">
          <DateInput value={filters.from} onChange={set("from")} className={inputClass} />
        </Field>
        <Field label="To">
          <DateInput value={filters.to} onChange={set("to")} className={inputClass} />
        </Field>
        <Field label="Game">
          <select aria-label="Game" value={filters.game} onChange={set("game")} className={inputClass}>
            <option value="">All games</option>
            {options.data?.games.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Channel">
          <select aria-label="Channel" value={filters.channel} onChange={set("channel")} className={inputClass}>
            <option value="">All channels</option>
            {options.data?.channels.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Source">
          <select aria-label="Source" value={filters.source} onChange={set("source")} className={inputClass}>
            <option value="">Text and voice</option>
            <option value="text">Text chat</option>
            <option value="voice">Voice transcripts</option>
          </select>
        </Field>
        <Field label="Category">
          <select aria-label="Category" value={filters.categoryId} onChange={set("categoryId")} className={inputClass}>
            <option value="">All (binary toxic)</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Model version">
          <select aria-label="Model version" value={filters.modelVersionId} onChange={set("modelVersionId")} className={inputClass}>
            <option value="">All versions</option>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.version}
                {m.status === "active" ? " (active)" : ""}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Per">
          <select aria-label="Granularity" value={filters.granularity} onChange={set("granularity")} className={inputClass}>
            <option value="day">Day</option>
            <option value="week">Week</option>
          </select>
        </Field>
        <Field label="Measured on">
          <select aria-label="Measured on" value={filters.slice} onChange={set("slice")} className={inputClass}>
            <option value="audit">Random audit slice (unbiased)</option>
            <option value="all">All reviewed items</option>
          </select>
        </Field>
      </form>

      <Section
        title="Is the model getting better?"
        subtitle={
          filters.slice === "audit"
            ? "Agreement between the model's suggestion and the moderator, on the random audit slice — an unbiased estimate."
            : "On everything reviewed. The queue serves uncertain items first, so this understates accuracy."
        }
      >
        <div className="grid gap-4 lg:grid-cols-2">
          <Panel title="Agreement with moderators" csv={csv("accuracy", "trends")}>
            <div data-testid="accuracy-chart">
              <RateChart data={accuracyChart.data} series={accuracyChart.agreeSeries} markers={markers} yLabel="agreement" thinBelow={SMALL_SAMPLE} />
            </div>
            <TrendSampleNote thin={accuracyChart.thin} small={accuracyChart.small} />
          </Panel>
          <Panel title={filters.categoryId ? `Precision / recall / F1 · ${catName(Number(filters.categoryId))}` : "Binary toxic: precision / recall / F1"}>
            <RateChart
              data={accuracyChart.data}
              series={accuracyChart.prfSeries}
              legend={accuracyChart.prfLegend}
              markers={markers}
              yLabel="score"
              thinBelow={SMALL_SAMPLE}
            />
            <TrendSampleNote thin={accuracyChart.thin} small={accuracyChart.small} />
          </Panel>
        </div>
        <p className="mt-2 text-[12px] text-slate-500" data-testid="label-totals">
          {accuracy.data
            ? `${accuracy.data.totals.labels.toLocaleString()} reviewed labels in range, ${accuracy.data.totals.auditLabels.toLocaleString()} from the audit slice.`
            : "Loading…"}
        </p>
      </Section>

      <Section title="Where does it fail?" subtitle="Rows: the moderator's label. Columns: the model's suggestion. Click a cell to see the excerpts behind it.">
        <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <Panel title="Confusion matrix" csv={csv("accuracy", "confusion")}>
            {conf && conf.total > 0 ? (
              <div className="overflow-x-auto">
                <table className="text-[12px]" data-testid="confusion-matrix">
                  <thead>
                    <tr>
                      <th className="p-1 text-left font-medium text-slate-500">label ↓ / model →</th>
                      {conf.categoryIds.map((id) => (
                        <th key={id} className="p-1 font-medium text-slate-600">
                          {catName(id)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {conf.matrix.map((row, i) => (
                      <tr key={conf.categoryIds[i]}>
                        <th className="p-1 text-left font-medium text-slate-600">{catName(conf.categoryIds[i])}</th>
                        {row.map((n, j) => {
                          const isDiag = i === j;
                          const alpha = n / maxCell;
                          const isSelected = cell?.label === conf.categoryIds[i] && cell?.suggested === conf.categoryIds[j];
                          return (
                            // biome-ignore lint/suspicious/noArrayIndexKey: a matrix cell is identified by its column
                            <td key={j} className="p-0.5">
                              <button
                                type="button"
                                disabled={n === 0}
                                onClick={() => setCell({ label: conf.categoryIds[i], suggested: conf.categoryIds[j] })}
                                className={`h-8 w-16 rounded text-center tabular-nums ${isSelected ? "ring-2 ring-slate-900" : ""}`}
                                style={{
                                  background: isDiag ? `rgba(22,163,74,${0.1 + alpha * 0.6})` : n ? `rgba(225,29,72,${0.08 + alpha * 0.6})` : "#f8fafc",
                                }}
                                title={`${n} excerpt(s): labelled ${catName(conf.categoryIds[i])}, suggested ${catName(conf.categoryIds[j])}`}
                              >
                                {n}
                              </button>
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <Empty />
            )}
          </Panel>
          <Panel title="Most-corrected suggestions" csv={csv("accuracy", "corrections")}>
            <Table
              head={["Model suggested", "Times", "Corrected", "Rate", "Usually to"]}
              rows={(accuracy.data?.corrections ?? []).map((c) => [
                catName(c.categoryId),
                c.suggested,
                c.corrected,
                pct(c.correctionRate.estimate),
                catName(c.topCorrectedTo),
              ])}
            />
          </Panel>
        </div>
        {cell && (
          <Panel title={`Excerpts labelled ${catName(cell.label)} where the model suggested ${catName(cell.suggested)}`}>
            {drill.isLoading ? <p className="text-[12px] text-slate-500">Loading…</p> : null}
            <ul className="divide-y divide-slate-100 text-[13px]" data-testid="drilldown">
              {(drill.data ?? []).map((e) => (
                <li key={`${e.excerptId}-${e.decidedAt}`} className="flex gap-3 py-1.5">
                  <Link href={workspacePath(slug, `excerpts/${e.excerptId}`)} className="min-w-0 flex-1 truncate text-slate-800 hover:underline">
                    <VisibleText text={e.text} />
                  </Link>
                  <span className="shrink-0 text-slate-500">
                    {e.game ?? "–"} · {e.source}
                  </span>
                  <span className="shrink-0 text-slate-500">{e.moderator}</span>
                  <span className="shrink-0 tabular-nums text-slate-600">{formatDate(e.decidedAt)}</span>
                </li>
              ))}
              {drill.data?.length === 0 ? <li className="py-1.5 text-slate-500">Nothing for these filters.</li> : null}
            </ul>
          </Panel>
        )}
      </Section>

      <Section
        title="Toxicity in the community"
        subtitle={`Flagged: toxic score ≥ ${toxicity.data ? toxicity.data.threshold.toFixed(3) : "…"} (workspace threshold). Confirmed: labelled toxic by a moderator, among labelled excerpts.`}
      >
        <div className="grid gap-4 lg:grid-cols-2">
          <Panel title="Flagged and confirmed-toxic rate" csv={csv("toxicity", "toxicity")}>
            <RateChart
              data={toxicityChart}
              series={[
                { key: "flagged", bandKey: "flaggedBand", nKey: "nScored", label: "flagged by model", color: "#db2777" },
                { key: "confirmed", bandKey: "confirmedBand", nKey: "nLabelled", label: "confirmed toxic", color: "#4f46e5" },
              ]}
              markers={markers}
              yLabel="share"
              thinBelow={SMALL_SAMPLE}
            />
          </Panel>
          <Panel title="By game, channel and source" csv={csv("toxicity", "community")}>
            <Table
              head={["Game", "Channel", "Source", "Scored", "Flagged", "Labelled", "Confirmed toxic"]}
              rows={(toxicity.data?.breakdown ?? [])
                .slice(0, 12)
                .map((b) => [
                  b.game ?? "–",
                  b.channel ?? "–",
                  b.source,
                  b.scored.toLocaleString(),
                  pct(b.flaggedRate.estimate, 1),
                  b.labelled.toLocaleString(),
                  pct(b.confirmedToxicRate.estimate, 1),
                ])}
            />
          </Panel>
        </div>
      </Section>

      <Section
        title="Is the team keeping up?"
        subtitle={`Throughput and time to decide from standing label decisions; backlog is live.${
          filters.game || filters.channel || filters.source || filters.categoryId || filters.modelVersionId
            ? " The moderator figures follow the date range only: the game, channel, source, category and model filters do not apply to them."
            : ""
        }`}
      >
        <div className="mb-3 grid grid-cols-2 gap-3 md:grid-cols-5" data-testid="backlog">
          <Kpi label="Open in queue" value={team.data?.backlog.open.toLocaleString()} />
          <Kpi label="Being reviewed now" value={team.data?.backlog.leasedNow.toLocaleString()} />
          <Kpi label="Oldest waiting" value={team.data?.backlog.oldestAgeHours == null ? "–" : formatHours(team.data.backlog.oldestAgeHours)} />
          <Kpi label="Decided, last 24 h" value={team.data?.backlog.decidedLast24h.toLocaleString()} />
          <Kpi label="Arrived, last 24 h" value={team.data?.backlog.addedLast24h.toLocaleString()} />
        </div>
        <div className="grid gap-4 lg:grid-cols-2">
          <Panel title="Moderators" csv={csv("team", "moderators")}>
            <Table
              head={["Moderator", "Decisions", "Per hour", "Median time", "Corrections"]}
              rows={(team.data?.moderators ?? []).map((m) => [
                m.name,
                m.decisions.toLocaleString(),
                m.decisionsPerHour.toFixed(0),
                m.medianMs === null ? "–" : `${(m.medianMs / 1000).toFixed(1)} s`,
                pct(m.correctionRate),
              ])}
            />
          </Panel>
          <Panel title="Decisions per hour">
            <TimeBars
              data={(team.data?.hourly ?? []).slice(-72).map((h) => ({ t: periodKeyToMs(h.hour), decisions: h.decisions }))}
              yKey="decisions"
              label="decisions"
            />
            <p className="mt-1 text-[11px] text-slate-600">The last 72 hours with decisions, in UTC; empty stretches are hours without any.</p>
          </Panel>
          <Panel
            title="Agreement between moderators"
            csv={csv("agreement", "agreement")}
            note="On excerpts labelled by two or more moderators (the overlap share of the queue, late conflicts and reviews)."
          >
            <p className="mb-2 text-[13px]" data-testid="alpha">
              Krippendorff&apos;s α (nominal): <strong>{agreement.data?.alpha.alpha == null ? "–" : agreement.data.alpha.alpha.toFixed(3)}</strong>{" "}
              <span className="text-slate-500">over {agreement.data?.items ?? 0} items</span>
            </p>
            <Table
              head={["Pair", "Items", "Agreed", "Cohen's κ"]}
              rows={(agreement.data?.pairs ?? []).map((p) => [`${p.nameA} · ${p.nameB}`, p.items, p.agreed, p.kappa === null ? "–" : p.kappa.toFixed(3)])}
            />
          </Panel>
          <Panel
            title="Labels corrected through re-review"
            note="Senior moderators re-review labels the model finds unlikely. A correction is something to talk through, not a score: read it next to how many labels each moderator gave."
          >
            <p className="mb-2 text-[13px]" data-testid="rereview-corrections">
              <strong>{corrections.data?.corrected ?? 0}</strong> corrected, {corrections.data?.confirmed ?? 0} confirmed of {corrections.data?.reviewed ?? 0}{" "}
              re-reviewed; <span className="text-slate-500">{corrections.data?.open ?? 0} waiting</span>
            </p>
            <Table
              head={["Labelled by", "Re-reviewed", "Corrected", "Labels in period"]}
              rows={(corrections.data?.byLabeller ?? []).map((r) => [r.userName ?? "import", r.reviewed, r.corrected, r.labelsInPeriod.toLocaleString()])}
            />
            {(corrections.data?.byChange.length ?? 0) > 0 && (
              <p className="mt-2 text-[11px] text-slate-600">
                Most often changed:{" "}
                {corrections
                  .data!.byChange.slice(0, 3)
                  .map((c) => `${catName(c.fromCategoryId)} → ${catName(c.toCategoryId)} (${c.count})`)
                  .join(", ")}
              </p>
            )}
          </Panel>
          <Panel title="Agreement per category (α, one-vs-rest)">
            <Table
              head={["Category", "α", "Items"]}
              rows={(agreement.data?.alphaPerCategory ?? []).map((a) => [
                catName(a.categoryId),
                a.alpha.alpha === null ? "–" : a.alpha.alpha.toFixed(3),
                a.alpha.pairableUnits,
              ])}
            />
          </Panel>
        </div>
      </Section>
    </div>
  );
}

function TrendSampleNote({ thin, small }: { thin: number; small: number }) {
  if (small === 0) return null;
  return (
    <SmallSampleNote>
      {small} point{small === 1 ? "" : "s"} rest on fewer than {SMALL_SAMPLE} labels (hollow; hover for n)
      {thin > 0 ? `; ${thin} with fewer than ${MIN_LABELS_FOR_POINT} show only their 95% interval` : ""}. Read small-sample trends with care.
    </SmallSampleNote>
  );
}

function formatHours(h: number): string {
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} days`;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is `children`, wrapped by the label
    <label className="flex flex-col gap-0.5">
      <span className="text-[11px] font-medium text-slate-500">{label}</span>
      {children}
    </label>
  );
}

function Section({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  return (
    <section className="mb-6">
      <h2 className="text-[15px] font-semibold text-slate-900">{title}</h2>
      {subtitle && <p className="mb-2 text-[12px] text-slate-500">{subtitle}</p>}
      {children}
    </section>
  );
}

function Panel({ title, csv, note, children }: { title: string; csv?: string; note?: string; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3">
      <div className="mb-2 flex items-center gap-2">
        <h3 className="flex-1 text-[13px] font-medium text-slate-700">{title}</h3>
        {csv && (
          <a href={csv} className="text-[12px] text-indigo-600 hover:underline" download>
            CSV
          </a>
        )}
      </div>
      {children}
      {note && <p className="mt-1 text-[11px] text-slate-500">{note}</p>}
    </div>
  );
}

function Kpi({ label, value }: { label: string; value: string | undefined }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2">
      <div className="text-[11px] text-slate-500">{label}</div>
      <div className="text-lg font-semibold tabular-nums text-slate-900">{value ?? "…"}</div>
    </div>
  );
}

function Table({ head, rows }: { head: string[]; rows: (string | number)[][] }) {
  if (rows.length === 0) return <Empty />;
  return (
    <table className="w-full text-[12px]">
      <thead>
        <tr className="border-b border-slate-200 text-left text-slate-500">
          {head.map((h) => (
            <th key={h} className="py-1 pr-2 font-medium">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a read-only table re-rendered whole; rows have no identity of their own
          <tr key={i} className="border-b border-slate-100 last:border-0">
            {r.map((v, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: cells are identified by their column
              <td key={j} className={`py-1 pr-2 ${typeof v === "number" ? "tabular-nums" : ""}`}>
                {v}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Empty() {
  return <p className="text-[12px] text-slate-500">No data for these filters yet.</p>;
}
