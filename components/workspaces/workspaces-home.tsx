"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass, PageHeader, secondaryButtonClass } from "@/components/ui/page-header.tsx";
import { CreateWorkspaceForm } from "./create-workspace-form.tsx";

export type TWorkspaceListItem = { slug: string; name: string; roleLabel: string; isArchived: boolean; detail?: string };

/** Every workspace the user can open; instance admins also create new ones here. */
export function WorkspacesHome({ workspaces, canCreate }: { workspaces: TWorkspaceListItem[]; canCreate: boolean }) {
  const router = useRouter();
  const [isCreating, setIsCreating] = useState(canCreate && workspaces.length === 0);
  return (
    <main className="mx-auto w-full max-w-4xl p-6">
      <PageHeader
        title="Workspaces"
        description="Each workspace has its own taxonomy, data, models, queue and members."
        actions={
          canCreate && !isCreating ? (
            <button type="button" className={buttonClass} onClick={() => setIsCreating(true)}>
              New workspace
            </button>
          ) : undefined
        }
      />
      {isCreating && (
        <div className="mb-6">
          <CreateWorkspaceForm onCreated={(w) => router.push(`/w/${w.slug}/admin/import`)} />
          {workspaces.length > 0 && (
            <button type="button" className={`${secondaryButtonClass} mt-2`} onClick={() => setIsCreating(false)}>
              Cancel
            </button>
          )}
        </div>
      )}
      {workspaces.length === 0 ? (
        <p className="text-[13px] text-slate-600">
          {canCreate ? "No workspace yet: create the first one above." : "You are not a member of any workspace yet. Ask an admin to add you."}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Your workspaces">
          {workspaces.map((w) => (
            <li key={w.slug} className="flex flex-wrap items-center gap-3 px-4 py-3">
              <Link href={`/w/${w.slug}`} className="font-medium text-indigo-700 hover:underline">
                {w.name}
              </Link>
              <span className="font-mono text-[12px] text-slate-500">/w/{w.slug}</span>
              {w.isArchived && <span className="rounded bg-amber-50 px-1.5 text-[11px] text-amber-700">archived</span>}
              <span className="ml-auto text-[12px] text-slate-500">
                {w.detail ? `${w.detail} · ` : ""}
                {w.roleLabel}
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
