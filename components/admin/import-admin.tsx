"use client";

import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useCategories } from "@/components/hooks/use-categories.ts";
import { useImportFile } from "@/components/hooks/use-import-file.ts";
import { IMPORT_FIELDS, resolveColumns, type TColumnMapping, type TImportField } from "@/lib/import/mapping.ts";
import type { TCategory } from "@/server/taxonomy/schemas.ts";
import { buttonClass, ErrorBanner, inputClass, PageHeader } from "@/components/ui/page-header.tsx";
import { previewFile, type TFilePreview } from "./file-preview.ts";

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

const MAX_LABEL_VALUES = 30;

export function ImportAdmin({ initialCategories }: { initialCategories: TCategory[] }) {
  const { data: categories = initialCategories } = useCategories(initialCategories);
  const importFile = useImportFile();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<"csv" | "jsonl">("csv");
  const [preview, setPreview] = useState<TFilePreview | null>(null);
  const [mapping, setMapping] = useState<TColumnMapping>({});
  const [labelMap, setLabelMap] = useState<Record<string, string>>({});
  const [isHeldOut, setHeldOut] = useState(false);

  useEffect(() => {
    if (!file) return;
    let isCurrent = true;
    void previewFile(file, format).then((p) => isCurrent && setPreview(p));
    return () => {
      isCurrent = false;
    };
  }, [file, format]);

  const resolved = useMemo(() => (preview ? resolveColumns(preview.columns, mapping).columns : {}), [preview, mapping]);
  const labelValues = useMemo(() => {
    const column = resolved.label;
    if (!preview || !column) return [];
    const counts = new Map<string, number>();
    for (const row of preview.rows) {
      const v = row[column]?.trim();
      if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_LABEL_VALUES);
  }, [preview, resolved.label]);

  const onFile = (f: File | null) => {
    setFile(f);
    setPreview(null);
    setMapping({});
    setLabelMap({});
    importFile.reset();
    if (f) setFormat(/\.(jsonl|ndjson|json)$/i.test(f.name) ? "jsonl" : "csv");
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const cleanLabelMap = Object.fromEntries(Object.entries(labelMap).filter(([, v]) => v));
    importFile.mutate({ file, format, mapping, labelMap: cleanLabelMap, isHeldOut });
  };

  const result = importFile.data;
  const activeCategories = categories.filter((c) => c.isActive);

  return (
    <div>
      <PageHeader
        title="Import excerpts"
        description="CSV (with a header row) or JSONL, one excerpt per row. Re-importing the same rows creates no duplicates. Bad rows are reported with their line number; the rest are kept."
      />
      <form onSubmit={onSubmit} className="space-y-4" aria-label="Import">
        <div className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-[13px]">
          <label className="flex flex-col gap-0.5">
            <span className="text-[11px] font-medium text-slate-500">File</span>
            <input name="file" type="file" accept=".csv,.jsonl,.ndjson,.json,text/csv" onChange={(e) => onFile(e.target.files?.[0] ?? null)} className="text-[13px]" />
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
            Held-out test data (never trained on)
          </label>
          {file && <span className="pb-1 text-xs text-slate-500">{(file.size / 1024).toFixed(1)} KB{preview ? ` · ${preview.columns.length} columns` : ""}</span>}
        </div>

        {preview && (
          <div className="grid gap-4 lg:grid-cols-2">
            <section className="rounded-lg border border-slate-200 bg-white">
              <h2 className="border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Column mapping</h2>
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
                      <option value="">{resolved[field] ? `auto: ${resolved[field]}` : "auto: not found"}</option>
                      {preview.columns.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  </label>
                ))}
              </div>
            </section>
            <section className="rounded-lg border border-slate-200 bg-white">
              <h2 className="border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Label map</h2>
              {labelValues.length === 0 ? (
                <p className="px-3 py-4 text-[13px] text-slate-500">{resolved.label ? "No label values in the first rows." : "No label column: rows are imported unlabelled."}</p>
              ) : (
                <div className="divide-y divide-slate-100">
                  {labelValues.map(([value, count]) => (
                    <label key={value} className="grid grid-cols-[1fr_200px] items-center gap-2 px-3 py-1.5 text-[13px]">
                      <span className="truncate">
                        <span className="font-mono">{value}</span> <span className="text-xs text-slate-500">×{count} in preview</span>
                      </span>
                      <select aria-label={`Category for label ${value}`} value={labelMap[value] ?? ""} onChange={(e) => setLabelMap((m) => ({ ...m, [value]: e.target.value }))} className={inputClass}>
                        <option value="">match category by name</option>
                        {activeCategories.map((c) => (
                          <option key={c.id} value={c.name}>
                            {c.name}
                          </option>
                        ))}
                      </select>
                    </label>
                  ))}
                </div>
              )}
            </section>
          </div>
        )}

        <div className="flex items-center gap-3">
          <button type="submit" className={buttonClass} disabled={!file || importFile.isPending}>
            {importFile.isPending ? "Importing…" : "Import"}
          </button>
          {!file && <span className="text-[13px] text-slate-500">Choose a file to map its columns.</span>}
        </div>
      </form>

      <div className="mt-4">
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
                  <dd className={`text-lg font-semibold tabular-nums ${label === "Errors" && Number(value) > 0 ? "text-rose-700" : ""}`}>{Number(value).toLocaleString()}</dd>
                </div>
              ))}
            </dl>
            {result.errors.length > 0 && (
              <table className="w-full border-t border-slate-100 text-[13px]" data-testid="import-errors">
                <thead className="text-left text-[11px] text-slate-500">
                  <tr>
                    <th className="w-24 px-3 py-1.5 font-medium">Line</th>
                    <th className="px-3 py-1.5 font-medium">Problem</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {result.errors.map((err) => (
                    <tr key={`${err.line}:${err.reason}`}>
                      <td className="px-3 py-1 font-mono">line {err.line}</td>
                      <td className="px-3 py-1 text-rose-800">{err.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {result.errorRows > result.errors.length && <p className="px-3 py-2 text-xs text-slate-500">Showing the first {result.errors.length} of {result.errorRows} errors.</p>}
          </section>
        )}
      </div>
    </div>
  );
}
