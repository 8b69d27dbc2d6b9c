"use client";

import { useState, type FormEvent } from "react";
import { useRemoveWorkspaceMember, useSetWorkspaceMember, useWorkspaceMembers } from "@/components/hooks/use-workspace-members.ts";
import { ROLE_LABELS } from "@/lib/auth/roles.ts";
import { RoleOptions } from "@/components/ui/role-options.tsx";
import { buttonClass, ErrorBanner, inputClass, PageHeader, secondaryButtonClass } from "@/components/ui/page-header.tsx";
import type { TWorkspaceMember } from "@/lib/workspace/contract.ts";

type TRole = TWorkspaceMember["role"];
/** Who can open this workspace, and as what: add people by email, change their role here, remove them. */
export function MembersAdmin({
  initialMembers,
  currentUserId,
  workspaceName,
}: {
  initialMembers: TWorkspaceMember[];
  currentUserId: number;
  workspaceName: string;
}) {
  const { data: members = initialMembers } = useWorkspaceMembers(initialMembers);
  const setMember = useSetWorkspaceMember();
  const removeMember = useRemoveWorkspaceMember();
  const [form, setForm] = useState<{ email: string; role: TRole }>({ email: "", role: "moderator" });
  const [message, setMessage] = useState<string | null>(null);

  const onAdd = (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    setMember.mutate(form, {
      onSuccess: ({ member }) => {
        setForm({ email: "", role: "moderator" });
        setMessage(`${member.name} is now ${ROLE_LABELS[member.role].toLowerCase()} in ${workspaceName}.`);
      },
    });
  };

  return (
    <div>
      <PageHeader
        title="Members"
        description={`Who can open ${workspaceName}, and their role here. A person can have another role in another workspace; instance admins can open every workspace.`}
      />
      <ErrorBanner error={setMember.error ?? removeMember.error} />
      {message && (
        <div role="status" className="mb-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-[13px] text-emerald-800">
          {message}
        </div>
      )}
      <form onSubmit={onAdd} className="mb-4 flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-2.5" aria-label="Add member">
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Email of an existing account</span>
          <input required type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} className={`${inputClass} w-64`} />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Role here</span>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as TRole })} className={inputClass}>
            <RoleOptions />
          </select>
        </label>
        <button type="submit" disabled={setMember.isPending} className={buttonClass}>
          Add member
        </button>
      </form>
      <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-[13px]">
        <thead className="text-[11px] text-slate-500">
          <tr>
            <th className="px-3 py-2 font-medium">Name</th>
            <th className="px-3 py-2 font-medium">Email</th>
            <th className="px-3 py-2 font-medium">Role here</th>
            <th className="px-3 py-2 font-medium" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {members.map((m) => {
            const isSelf = m.userId === currentUserId;
            return (
              <tr key={m.userId} className="border-t border-slate-100">
                <td className="px-3 py-2">
                  {m.name}
                  {!m.isActive && <span className="ml-1 text-[11px] text-slate-400">(deactivated)</span>}
                </td>
                <td className="px-3 py-2 text-slate-600">{m.email}</td>
                <td className="px-3 py-2">
                  {m.isInstanceAdmin && !m.isMember ? (
                    <span title="Instance admins can open every workspace">Admin (instance)</span>
                  ) : (
                    <select
                      aria-label={`Role of ${m.name}`}
                      value={m.role}
                      disabled={isSelf || setMember.isPending}
                      onChange={(e) => setMember.mutate({ userId: m.userId, role: e.target.value as TRole })}
                      className={inputClass}
                    >
                      <RoleOptions />
                    </select>
                  )}
                </td>
                <td className="px-3 py-2 text-right">
                  {m.isMember && !isSelf && (
                    <button
                      type="button"
                      className={secondaryButtonClass}
                      disabled={removeMember.isPending}
                      onClick={() => removeMember.mutate({ userId: m.userId })}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
