"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useUpdateWorkspace } from "@/components/hooks/use-update-workspace.ts";
import { buttonClass, ErrorBanner, inputClass, secondaryButtonClass } from "@/components/ui/page-header.tsx";

/** Rename and archive/restore, at the top of the workspace's admin settings. */
export function WorkspaceGeneralSettings({ slug, name, archivedAt }: { slug: string; name: string; archivedAt: string | null }) {
  const router = useRouter();
  const update = useUpdateWorkspace();
  const [newName, setNewName] = useState(name);
  const [message, setMessage] = useState<string | null>(null);

  const onRename = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      { name: newName },
      {
        onSuccess: ({ workspace }) => {
          setMessage(`Renamed to “${workspace.name}”. Links keep working: the address stays /w/${workspace.slug}/.`);
          router.refresh();
        },
      },
    );
  };
  const setArchived = (isArchived: boolean) =>
    update.mutate(
      { isArchived },
      {
        onSuccess: () => {
          setMessage(
            isArchived
              ? "Archived: everything stays readable; nothing new can be added until it is restored."
              : "Restored: the workspace takes new data again.",
          );
          router.refresh();
        },
      },
    );

  return (
    <section aria-labelledby="workspace-general" className="mb-4 rounded-lg border border-slate-200 bg-white p-3">
      <h2 id="workspace-general" className="mb-2 text-sm font-semibold">
        Workspace
      </h2>
      <ErrorBanner error={update.error} />
      {message && (
        <div role="status" className="mb-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-[13px] text-emerald-800">
          {message}
        </div>
      )}
      <form onSubmit={onRename} className="flex flex-wrap items-end gap-2" aria-label="Rename workspace">
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Name (the address /w/{slug}/ stays)</span>
          <input required maxLength={80} value={newName} onChange={(e) => setNewName(e.target.value)} className={`${inputClass} w-72`} />
        </label>
        <button type="submit" disabled={update.isPending || newName.trim() === name} className={buttonClass}>
          Rename
        </button>
      </form>
      <div className="mt-3 flex flex-wrap items-center gap-2 text-[13px]">
        {archivedAt ? (
          <>
            <span className="text-amber-700">Archived {new Date(archivedAt).toISOString().slice(0, 10)}: readable, takes no new data.</span>
            <button type="button" className={secondaryButtonClass} disabled={update.isPending} onClick={() => setArchived(false)}>
              Restore workspace
            </button>
          </>
        ) : (
          <>
            <span className="text-slate-600">Archiving keeps everything readable and refuses new data (imports, labels, training).</span>
            <button type="button" className={secondaryButtonClass} disabled={update.isPending} onClick={() => setArchived(true)}>
              Archive workspace
            </button>
          </>
        )}
      </div>
    </section>
  );
}
