import type { TAccuracyReport, TAgreementReport, TTeamReport } from "@/lib/dashboard/contract.ts";
import { toCsv } from "@/lib/dashboard/aggregate.ts";
import type { getToxicity } from "./get-toxicity.ts";

const r4 = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1e4) / 1e4);

/** Every dashboard table as CSV, named by `table`; the same numbers the page shows. */
export function dashboardCsv(
  table: string,
  data: { accuracy?: TAccuracyReport; toxicity?: Awaited<ReturnType<typeof getToxicity>>; team?: TTeamReport; agreement?: TAgreementReport },
): string | null {
  const catName = (id: number) => data.accuracy?.categories.find((c) => c.id === id)?.name ?? String(id);
  const version = (id: number) => data.accuracy?.models.find((m) => m.id === id)?.version ?? String(id);
  switch (table) {
    case "trends":
      return data.accuracy
        ? toCsv(
            [
              "period",
              "model_version",
              "labels",
              "agreement",
              "agreement_low",
              "agreement_high",
              "binary_precision",
              "binary_recall",
              "binary_f1",
              "f1_low",
              "f1_high",
              "too_few_labels",
            ],
            data.accuracy.trends.map((t) => [
              t.period,
              version(t.modelVersionId),
              t.labels,
              r4(t.agreement.estimate),
              r4(t.agreement.lower),
              r4(t.agreement.upper),
              r4(t.binary.precision.estimate),
              r4(t.binary.recall.estimate),
              r4(t.binary.f1.estimate),
              r4(t.binary.f1.lower),
              r4(t.binary.f1.upper),
              t.isThin,
            ]),
          )
        : null;
    case "confusion":
      return data.accuracy
        ? toCsv(
            ["moderator_label \\ model_suggestion", ...data.accuracy.confusion.categoryIds.map(catName)],
            data.accuracy.confusion.matrix.map((row, i) => [catName(data.accuracy!.confusion.categoryIds[i]), ...row]),
          )
        : null;
    case "corrections":
      return data.accuracy
        ? toCsv(
            ["suggested_category", "suggested", "corrected", "correction_rate", "most_often_corrected_to"],
            data.accuracy.corrections.map((c) => [
              catName(c.categoryId),
              c.suggested,
              c.corrected,
              r4(c.correctionRate.estimate),
              c.topCorrectedTo === null ? null : catName(c.topCorrectedTo),
            ]),
          )
        : null;
    case "toxicity":
      return data.toxicity
        ? toCsv(
            ["period", "scored", "flagged_rate", "labelled", "confirmed_toxic_rate"],
            data.toxicity.trends.map((t) => [t.period, t.scored, r4(t.flaggedRate.estimate), t.labelled, r4(t.confirmedToxicRate.estimate)]),
          )
        : null;
    case "community":
      return data.toxicity
        ? toCsv(
            ["game", "channel", "source", "scored", "flagged_rate", "labelled", "confirmed_toxic_rate"],
            data.toxicity.breakdown.map((b) => [
              b.game,
              b.channel,
              b.source,
              b.scored,
              r4(b.flaggedRate.estimate),
              b.labelled,
              r4(b.confirmedToxicRate.estimate),
            ]),
          )
        : null;
    case "moderators":
      return data.team
        ? toCsv(
            ["moderator", "email", "decisions", "active_hours", "decisions_per_hour", "median_seconds", "correction_rate"],
            data.team.moderators.map((m) => [
              m.name,
              m.email,
              m.decisions,
              m.activeHours,
              r4(m.decisionsPerHour),
              m.medianMs === null ? null : r4(m.medianMs / 1000),
              r4(m.correctionRate),
            ]),
          )
        : null;
    case "agreement":
      return data.agreement
        ? toCsv(
            ["moderator_a", "moderator_b", "items", "agreed", "cohen_kappa"],
            data.agreement.pairs.map((p) => [p.nameA, p.nameB, p.items, p.agreed, r4(p.kappa)]),
          )
        : null;
    default:
      return null;
  }
}

export function csvResponse(csv: string, name: string): Response {
  return new Response(csv, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="modloop-${name}.csv"`, "cache-control": "no-store" },
  });
}
