"use client";

import { useState, type FormEvent } from "react";
import { useCreateWorkspace } from "@/components/hooks/use-create-workspace.ts";
import { buttonClass, ErrorBanner, inputClass } from "@/components/ui/page-header.tsx";
import type { TWorkspaceSummary } from "@/lib/workspace/contract.ts";
import { slugFromName } from "@/lib/workspace/slug.ts";
import { TaxonomyPicker, type TTaxonomyChoice } from "./taxonomy-picker.tsx";

/** Name, slug (suggested from the name until edited) and taxonomy, previewed before anything is created. */
export function CreateWorkspaceForm({ onCreated }: { onCreated: (workspace: TWorkspaceSummary) => void }) {
  const create = useCreateWorkspace();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [isSlugEdited, setIsSlugEdited] = useState(false);
  const [taxonomy, setTaxonomy] = useState<TTaxonomyChoice>({ template: "toxic-binary" });

  const effectiveSlug = isSlugEdited ? slug : slugFromName(name);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!taxonomy) return;
    const source = "template" in taxonomy ? { template: taxonomy.template } : { categories: taxonomy.categories };
    create.mutate({ name, slug: effectiveSlug || undefined, ...source }, { onSuccess: ({ workspace }) => onCreated(workspace) });
  };

  return (
    <form onSubmit={onSubmit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-label="Create workspace">
      <ErrorBanner error={create.error} />
      <div className="flex flex-wrap gap-3">
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Name</span>
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="Hate speech (EN)" className={`${inputClass} w-64`} />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Slug (in every link: /w/{effectiveSlug || "…"}/)</span>
          <input
            value={effectiveSlug}
            onChange={(e) => {
              setIsSlugEdited(true);
              setSlug(e.target.value);
            }}
            pattern="[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,39}"
            title="1–40 lower-case letters, digits and single hyphens"
            className={`${inputClass} w-52 font-mono`}
          />
        </label>
      </div>
      <TaxonomyPicker onChange={setTaxonomy} />
      <button type="submit" disabled={!taxonomy || name.trim() === "" || create.isPending} className={buttonClass}>
        {create.isPending ? "Creating…" : "Create workspace"}
      </button>
    </form>
  );
}
