"use client";

import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useImportFile } from "@/components/hooks/use-import-file.ts";
import { useImportPreview } from "@/components/hooks/use-import-preview.ts";
import { IMPORT_FIELDS, type TColumnMapping, type TImportField } from "@/lib/import/mapping.ts";
import { formatLineList, skippedLinesCsv } from "@/lib/import/skipped.ts";
import type { TImportPreview, TSkippedGroup } from "@/lib/import/types.ts";
import type { TCategory } from "@/lib/taxonomy/contract.ts";
import { buttonClass, ErrorBanner, inputClass, PageHeader, fileInputClass } from "@/components/ui/page-header.tsx";

const FIELD_LABELS: Record<TImportField, string> = {
  text: "Text (required)",
  external_id: "External id",
  source: "Source (text/voice)",
  game: "Game",
  channel: "Channel",
  conversation_id: "Conversation id",
  speaker_id: "Speaker id",
  occurred_at: "Time",
  label: "Label",
};

const sectionTitle = "border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase";

/**
 * Import in three steps, nothing written before the last: choose a file (the server previews it:
 * rows as they will be stored, detected columns, a label mapping table), adjust the mapping, commit;
 * then the summary groups skipped rows by reason, with their lines downloadable as CSV.
 */
export function ImportAdmin({ initialCategories }: { initialCategories: TCategory[] }) {
  const importFile = useImportFile();
  const preview = useImportPreview();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<"csv" | "jsonl">("csv");
  const [mapping, setMapping] = useState<TColumnMapping>({});
  // label → category name ("" = unmapped: rows with it are skipped)
  const [labelMap, setLabelMap] = useState<Record<string, string>>({});
  const [isHeldOut, setHeldOut] = useState(false);
  const { mutate: requestPreview, reset: resetPreview } = preview;

  useEffect(() => {
    if (!file) return;
    requestPreview({ file, format, mapping }, { onSuccess: (p) => setLabelMap(Object.fromEntries(p.labels.map((l) => [l.label, l.category ?? ""]))) });
  }, [file, format, mapping, requestPreview]);

  const onFile = (f: File | null) => {
    setFile(f);
    setMapping({});
    setLabelMap({});
    resetPreview();
    importFile.reset();
    if (f) setFormat(/\.(jsonl|ndjson|json)$/i.test(f.name) ? "jsonl" : "csv");
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!file || !preview.data) return;
    const confirmed = Object.fromEntries(Object.entries(labelMap).filter(([, category]) => category !== ""));
    importFile.mutate({ file, format, mapping, labelMap: confirmed, isHeldOut });
  };

  const p = preview.data;
  const activeCategories = (p?.categories ?? initialCategories).filter((c) => c.isActive);
  const unmapped = p ? p.labels.filter((l) => !labelMap[l.label]) : [];
  const result = importFile.data;

  return (
    <div>
      <PageHeader
        title="Import excerpts"
        description="CSV (with a header row) or JSONL, one excerpt per row. Choose a file to preview it: nothing is written until you press Import. Re-importing the same rows creates no duplicates."
      />
      <form onSubmit={onSubmit} className="space-y-4" aria-label="Import">
        <div className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-[13px]">
          <label className="flex flex-col gap-0.5">
            <span className="text-[11px] font-medium text-slate-500">File</span>
            <input
              name="file"
              type="file"
              accept=".csv,.tsv,.jsonl,.ndjson,.json,text/csv"
              onChange={(e) => onFile(e.target.files?.[0] ?? null)}
              className={fileInputClass}
            />
          </label>
          <label className="flex flex-col gap-0.5">
            <span className="text-[11px] font-medium text-slate-500">Format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as "csv" | "jsonl")} className={inputClass}>
              <option value="csv">CSV</option>
              <option value="jsonl">JSONL</option>
            </select>
          </label>
          <label className="flex items-center gap-1.5 pb-1">
            <input type="checkbox" checked={isHeldOut} onChange={(e) => setHeldOut(e.target.checked)} />
            Held-out test data (gold set: evaluated on, never trained on)
          </label>
          {file && (
            <span className="pb-1 text-xs text-slate-500">
              {(file.size / 1024).toFixed(1)} KB{p ? ` · ${p.totalRows.toLocaleString()} rows · ${p.columns.length} columns` : ""}
            </span>
          )}
          {preview.isPending && (
            <span className="pb-1 text-xs text-slate-500" role="status">
              Reading the file…
            </span>
          )}
        </div>

        <ErrorBanner error={preview.error} />
        {p && (
          <>
            {p.warnings.map((w) => (
              <p key={w} role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900">
                {w}
              </p>
            ))}
            <div className="grid gap-4 lg:grid-cols-2">
              <section className="rounded-lg border border-slate-200 bg-white" aria-label="Column mapping">
                <h2 className={sectionTitle}>Column mapping</h2>
                <div className="divide-y divide-slate-100">
                  {IMPORT_FIELDS.map((field) => (
                    <label key={field} className="grid grid-cols-[160px_1fr] items-center gap-2 px-3 py-1.5 text-[13px]">
                      <span className="font-medium">{FIELD_LABELS[field]}</span>
                      <select
                        aria-label={`Column for ${field}`}
                        value={mapping[field] ?? ""}
                        onChange={(e) => setMapping((m) => ({ ...m, [field]: e.target.value || undefined }))}
                        className={inputClass}
                      >
                        <option value="">{p.detected[field] && !mapping[field] ? `detected: ${p.detected[field]}` : "auto (by name)"}</option>
                        {p.columns.map((c) => (
                          <option key={c} value={c}>
                            {c}
                          </option>
                        ))}
                      </select>
                    </label>
                  ))}
                </div>
              </section>
              <section className="rounded-lg border border-slate-200 bg-white" aria-label="Label mapping">
                <h2 className={sectionTitle}>Label mapping</h2>
                {p.labels.length === 0 ? (
                  <p className="px-3 py-4 text-[13px] text-slate-500">
                    {p.detected.label ? "No labels in the file." : "No label column: rows are imported unlabelled."}
                  </p>
                ) : (
                  <table className="w-full text-[13px]" data-testid="label-mapping">
                    <thead className="text-left text-[11px] text-slate-500">
                      <tr>
                        <th className="px-3 py-1.5 font-medium">Label in the file</th>
                        <th className="w-16 px-3 py-1.5 text-right font-medium">Rows</th>
                        <th className="w-56 px-3 py-1.5 font-medium">Category</th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {p.labels.map((l) => (
                        <tr key={l.label}>
                          <td className="px-3 py-1 font-mono">
                            {l.label}
                            {l.note && <span className="ml-2 font-sans text-xs text-amber-700">({l.note})</span>}
                          </td>
                          <td className="px-3 py-1 text-right tabular-nums">{l.count.toLocaleString()}</td>
                          <td className="px-3 py-1">
                            <select
                              aria-label={`Category for label ${l.label}`}
                              value={labelMap[l.label] ?? ""}
                              onChange={(e) => setLabelMap((m) => ({ ...m, [l.label]: e.target.value }))}
                              className={`${inputClass} w-full ${labelMap[l.label] ? "" : "border-amber-400"}`}
                            >
                              <option value="">unmapped: skip these rows</option>
                              {activeCategories.map((c) => (
                                <option key={c.name} value={c.name}>
                                  {c.name}
                                </option>
                              ))}
                            </select>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                {unmapped.length > 0 && (
                  <p className="border-t border-slate-100 px-3 py-2 text-xs text-amber-800">
                    {unmapped.reduce((n, l) => n + l.count, 0).toLocaleString()} rows carry an unmapped label and will be skipped.
                  </p>
                )}
              </section>
            </div>
            <PreviewRows preview={p} />
            {p.skipped.length > 0 && <SkippedGroups title="Rows the import will skip whatever the mapping" groups={p.skipped} />}
          </>
        )}

        <div className="flex items-center gap-3">
          <button type="submit" className={buttonClass} disabled={!p || preview.isPending || importFile.isPending}>
            {importFile.isPending ? "Importing…" : "Import"}
          </button>
          {!file && <span className="text-[13px] text-slate-500">Choose a file to preview it.</span>}
        </div>
      </form>

      <div className="mt-4 space-y-3">
        <ErrorBanner error={importFile.error} />
        {result && (
          <section className="rounded-lg border border-slate-200 bg-white" data-testid="import-result" aria-label="Import result">
            <h2 className="border-b border-slate-100 px-3 py-2 text-sm font-semibold">Import #{result.importBatchId} finished</h2>
            <dl className="grid grid-cols-5 divide-x divide-slate-100 text-center text-[13px]">
              {[
                ["Rows read", result.totalRows],
                ["Inserted", result.insertedRows],
                ["Duplicates skipped", result.duplicateRows],
                ["Labelled", result.labelledRows],
                ["Errors", result.errorRows],
              ].map(([label, value]) => (
                <div key={label} className="px-3 py-2">
                  <dt className="text-[11px] text-slate-500">{label}</dt>
                  <dd className={`text-lg font-semibold tabular-nums ${label === "Errors" && Number(value) > 0 ? "text-rose-700" : ""}`}>
                    {Number(value).toLocaleString()}
                  </dd>
                </div>
              ))}
            </dl>
            {result.warnings.map((w) => (
              <p key={w} className="border-t border-slate-100 px-3 py-2 text-[13px] text-amber-900">
                {w}
              </p>
            ))}
          </section>
        )}
        {result && result.skipped.length > 0 && (
          <SkippedGroups
            title="Skipped rows, by reason"
            groups={result.skipped}
            download={`import-${result.importBatchId}-skipped-lines.csv`}
            testId="import-errors"
          />
        )}
      </div>
    </div>
  );
}

function PreviewRows({ preview }: { preview: TImportPreview }) {
  return (
    <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white" aria-label="First rows as they will be stored">
      <h2 className={sectionTitle}>First rows as they will be stored</h2>
      <table className="w-full text-[13px]" data-testid="import-preview-rows">
        <thead className="text-left text-[11px] text-slate-500">
          <tr>
            {["Line", "Text", "External id", "Source", "Conversation", "Speaker", "Time", "Label"].map((h) => (
              <th key={h} className="px-3 py-1.5 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {preview.rows.map((r) =>
            "error" in r ? (
              <tr key={r.line} className="bg-rose-50/50">
                <td className="px-3 py-1 font-mono">{r.line}</td>
                <td colSpan={7} className="px-3 py-1 text-rose-800">
                  skipped: {r.error}
                </td>
              </tr>
            ) : (
              <tr key={r.line}>
                <td className="px-3 py-1 font-mono">{r.line}</td>
                <td className="max-w-md truncate px-3 py-1">{r.excerpt.text}</td>
                <td className="px-3 py-1 font-mono">{r.excerpt.externalId ?? "—"}</td>
                <td className="px-3 py-1">{r.excerpt.source}</td>
                <td className="px-3 py-1">{r.excerpt.conversationId ?? "—"}</td>
                <td className="px-3 py-1">{r.excerpt.speakerId ?? "—"}</td>
                <td className="px-3 py-1 whitespace-nowrap">{r.excerpt.occurredAt ?? "—"}</td>
                <td className="px-3 py-1 font-mono">{r.excerpt.label ?? "—"}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}

function SkippedGroups({ title, groups, download, testId }: { title: string; groups: TSkippedGroup[]; download?: string; testId?: string }) {
  // a blob URL for the "skipped lines" download, released when the summary changes
  const href = useMemo(() => (download ? URL.createObjectURL(new Blob([skippedLinesCsv(groups)], { type: "text/csv" })) : null), [groups, download]);
  useEffect(
    () => () => {
      if (href) URL.revokeObjectURL(href);
    },
    [href],
  );
  return (
    <section className="rounded-lg border border-slate-200 bg-white" aria-label={title}>
      <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
        <h2 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h2>
        {href && download && (
          <a href={href} download={download} className="text-[13px] font-medium text-sky-700 underline hover:text-sky-900">
            Download skipped lines (CSV)
          </a>
        )}
      </div>
      <table className="w-full text-[13px]" data-testid={testId}>
        <thead className="text-left text-[11px] text-slate-500">
          <tr>
            <th className="w-20 px-3 py-1.5 text-right font-medium">Rows</th>
            <th className="px-3 py-1.5 font-medium">Reason</th>
            <th className="px-3 py-1.5 font-medium">Lines</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {groups.map((g) => (
            <tr key={g.reason}>
              <td className="px-3 py-1 text-right tabular-nums">{g.count.toLocaleString()}</td>
              <td className="px-3 py-1 text-rose-800">{g.reason}</td>
              <td className="px-3 py-1 font-mono">line {formatLineList(g.lines, 12)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
