"use client";

import { fileInputClass } from "@/components/ui/page-header.tsx";
import { useState } from "react";
import { parseTaxonomyFile } from "@/lib/taxonomy/parse-file.ts";
import { TAXONOMY_TEMPLATES, type TTaxonomyTemplateId } from "@/lib/taxonomy/templates.ts";
import type { TTaxonomyCategory } from "@/lib/taxonomy/types.ts";
import { formatTaxonomyIssue } from "@/lib/taxonomy/validate.ts";

/** What the picker hands the form: a template id, or the categories of a file that validated. */
export type TTaxonomyChoice = { template: TTaxonomyTemplateId } | { categories: TTaxonomyCategory[]; fileName: string } | null;

/** Largest taxonomy file read in the browser: 50 categories with long descriptions fit in far less. */
const MAX_FILE_BYTES = 256 * 1024;

/**
 * Template, file or blank — and a preview of the categories the workspace will start with, so nothing
 * is created before the admin has seen them. A file is read and validated here (lib/taxonomy, the same
 * code the server runs again), so every problem shows with its line before anything is sent.
 */
export function TaxonomyPicker({ onChange }: { onChange: (choice: TTaxonomyChoice) => void }) {
  const [source, setSource] = useState<"template" | "file">("template");
  const [templateId, setTemplateId] = useState<TTaxonomyTemplateId>("toxic-binary");
  const [file, setFile] = useState<{ name: string; categories: TTaxonomyCategory[] | null; problems: string[] } | null>(null);

  const template = TAXONOMY_TEMPLATES.find((t) => t.id === templateId)!;
  const preview = source === "template" ? template.categories : (file?.categories ?? null);

  const pickTemplate = (id: TTaxonomyTemplateId) => {
    setTemplateId(id);
    onChange({ template: id });
  };

  const pickSource = (next: "template" | "file") => {
    setSource(next);
    onChange(next === "template" ? { template: templateId } : file?.categories ? { categories: file.categories, fileName: file.name } : null);
  };

  const readFile = async (picked: File | undefined) => {
    if (!picked) return;
    if (picked.size > MAX_FILE_BYTES) {
      setFile({ name: picked.name, categories: null, problems: [`The file is ${Math.round(picked.size / 1024)} KiB; a taxonomy file is at most 256 KiB.`] });
      onChange(null);
      return;
    }
    const result = await parseTaxonomyFile(await picked.text(), { fileName: picked.name });
    if (result.ok) {
      setFile({ name: picked.name, categories: result.categories, problems: [] });
      onChange({ categories: result.categories, fileName: picked.name });
    } else {
      setFile({ name: picked.name, categories: null, problems: result.issues.map((i) => formatTaxonomyIssue(i, result.unit)) });
      onChange(null);
    }
  };

  return (
    <fieldset className="space-y-2">
      <legend className="text-[11px] font-medium text-slate-500">Taxonomy</legend>
      <div className="flex flex-wrap gap-3 text-[13px]">
        <label className="flex items-center gap-1.5">
          <input type="radio" name="taxonomy-source" checked={source === "template"} onChange={() => pickSource("template")} /> From a template
        </label>
        <label className="flex items-center gap-1.5">
          <input type="radio" name="taxonomy-source" checked={source === "file"} onChange={() => pickSource("file")} /> From a file (CSV or JSON)
        </label>
      </div>
      {source === "template" ? (
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Template</span>
          <select
            aria-label="Template"
            value={templateId}
            onChange={(e) => pickTemplate(e.target.value as TTaxonomyTemplateId)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-[13px]"
          >
            {TAXONOMY_TEMPLATES.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          <span className="text-[12px] text-slate-500">{template.summary}</span>
        </label>
      ) : (
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Taxonomy file</span>
          <input
            type="file"
            accept=".csv,.json,text/csv,application/json"
            aria-label="Taxonomy file"
            onChange={(e) => void readFile(e.target.files?.[0])}
            className={fileInputClass}
          />
          <span className="text-[12px] text-slate-500">
            Columns (CSV) or keys (JSON): <code>name</code>, <code>description</code>, <code>colour</code>, <code>hotkey</code>, <code>non_toxic</code>; only
            name is required, and exactly one category has non_toxic = yes.
          </span>
        </label>
      )}
      {file && file.problems.length > 0 && source === "file" && (
        <div role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-[13px] text-rose-800">
          <p className="font-medium">{file.name} cannot be used yet:</p>
          <ul className="mt-1 list-disc pl-5">
            {file.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {preview && <TaxonomyPreview categories={preview} />}
    </fieldset>
  );
}

export function TaxonomyPreview({ categories }: { categories: readonly TTaxonomyCategory[] }) {
  return (
    <table className="w-full text-left text-[13px]" aria-label="Categories preview">
      <caption className="text-left text-[11px] font-medium text-slate-500">
        The workspace starts with these {categories.length} categories (editable later in Admin → Taxonomy)
      </caption>
      <thead className="text-[11px] text-slate-500">
        <tr>
          <th className="py-1 pr-2 font-medium">Key</th>
          <th className="py-1 pr-2 font-medium">Category</th>
          <th className="py-1 pr-2 font-medium">Description</th>
        </tr>
      </thead>
      <tbody>
        {categories.map((c) => (
          <tr key={c.name} className="border-t border-slate-100">
            <td className="py-1 pr-2 font-mono">{c.hotkey ?? "–"}</td>
            <td className="py-1 pr-2">
              <span className="inline-flex items-center gap-1.5">
                <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-full" style={{ backgroundColor: c.color }} />
                {c.name}
                {c.isNonToxic && <span className="rounded bg-emerald-50 px-1 text-[11px] text-emerald-700">non-toxic</span>}
              </span>
            </td>
            <td className="py-1 pr-2 text-slate-600">{c.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
