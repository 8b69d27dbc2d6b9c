"use client";

import { useState, type FormEvent } from "react";
import { useCreateUser } from "@/components/hooks/use-create-user.ts";
import { useUpdateUser } from "@/components/hooks/use-update-user.ts";
import { useUsers } from "@/components/hooks/use-users.ts";
import { useSetWorkspaceMember, useWorkspaceMembers } from "@/components/hooks/use-workspace-members.ts";
import type { TRole } from "@/lib/auth/roles.ts";
import type { TUserRow } from "@/lib/users/contract.ts";
import type { TWorkspaceMember } from "@/lib/workspace/contract.ts";
import { RoleOptions } from "@/components/ui/role-options.tsx";
import { buttonClass, ErrorBanner, inputClass, PageHeader, secondaryButtonClass } from "@/components/ui/page-header.tsx";

/**
 * Every account of the instance, with its role in this workspace: the role column changes the membership
 * here (PUT /api/w/<slug>/members/<id>), never the account's role, so a role chosen here does not follow
 * the person into other workspaces. Accounts without a membership can be given one from the same column.
 */
export function UsersAdmin({
  initialUsers,
  initialMembers,
  currentUserId,
}: {
  initialUsers: TUserRow[];
  initialMembers: TWorkspaceMember[];
  currentUserId: number;
}) {
  const { data: users = initialUsers } = useUsers(initialUsers);
  const { data: members = initialMembers } = useWorkspaceMembers(initialMembers);
  const memberById = new Map(members.map((m) => [m.userId, m]));
  const createUser = useCreateUser();
  const updateUser = useUpdateUser();
  const setMember = useSetWorkspaceMember();
  const [form, setForm] = useState({ email: "", name: "", role: "moderator" as TRole, password: "" });
  const [resetFor, setResetFor] = useState<number | null>(null);
  const [newPassword, setNewPassword] = useState("");
  const [message, setMessage] = useState<string | null>(null);

  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    createUser.mutate(form, {
      onSuccess: ({ user }) => {
        setForm({ email: "", name: "", role: "moderator", password: "" });
        setMessage(`Created ${user.email}. Share the password with them privately.`);
      },
    });
  };

  const onReset = (e: FormEvent, id: number) => {
    e.preventDefault();
    updateUser.mutate(
      { id, changes: { password: newPassword } },
      {
        onSuccess: () => {
          setResetFor(null);
          setNewPassword("");
          setMessage("Password reset. Their open sessions were signed out.");
        },
      },
    );
  };

  return (
    <div>
      <PageHeader
        title="Users"
        description="Roles: moderators review the queue; data scientists manage models and datasets; managers see dashboards; admins can do everything."
      />
      <ErrorBanner error={createUser.error ?? updateUser.error ?? setMember.error} />
      {message && (
        <div role="status" className="mb-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-[13px] text-emerald-800">
          {message}
        </div>
      )}
      <form onSubmit={onCreate} className="mb-4 flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-2.5" aria-label="Create user">
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Name</span>
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} className={inputClass} />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Email</span>
          <input required type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} className={`${inputClass} w-56`} />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Role</span>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as TRole })} className={inputClass}>
            <RoleOptions />
          </select>
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Initial password (8+ characters)</span>
          <input
            required
            minLength={12}
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            className={inputClass}
          />
        </label>
        <button type="submit" className={buttonClass} disabled={createUser.isPending}>
          {createUser.isPending ? "Creating…" : "Create user"}
        </button>
      </form>

      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-[13px]">
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-[11px] font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">Email</th>
              <th className="px-3 py-2">Role here</th>
              <th className="px-3 py-2">Status</th>
              <th className="px-3 py-2" title="Senior moderators (and admins) adjudicate overlap items the two moderators disagreed on">
                Senior
              </th>
              <th className="px-3 py-2 text-right">Decisions</th>
              <th className="px-3 py-2">Actions</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => {
              const isSelf = u.id === currentUserId;
              const member = memberById.get(u.id);
              const isInstanceAdmin = u.role === "admin";
              const isAdminHere = isInstanceAdmin || member?.role === "admin";
              return (
                <tr key={u.id} className={u.isActive ? "" : "text-slate-500"}>
                  <td className="px-3 py-1.5 font-medium">
                    {u.name} {isSelf && <span className="text-[11px] font-normal text-slate-500">(you)</span>}
                  </td>
                  <td className="px-3 py-1.5">{u.email}</td>
                  <td className="px-3 py-1.5">
                    <select
                      aria-label={`Role of ${u.email}`}
                      title={isInstanceAdmin ? "Instance admin: admin of every workspace" : undefined}
                      value={isInstanceAdmin ? "admin" : (member?.role ?? "")}
                      disabled={isSelf || isInstanceAdmin || setMember.isPending}
                      onChange={(e) => setMember.mutate({ userId: u.id, role: e.target.value as TRole })}
                      className={inputClass}
                    >
                      {!member && !isInstanceAdmin && (
                        <option value="" disabled>
                          Not a member
                        </option>
                      )}
                      <RoleOptions />
                    </select>
                  </td>
                  <td className="px-3 py-1.5">
                    <span
                      className={`rounded px-1.5 py-0.5 text-xs font-medium ${u.isActive ? "bg-emerald-50 text-emerald-700" : "bg-slate-100 text-slate-500"}`}
                    >
                      {u.isActive ? "active" : "deactivated"}
                    </span>
                  </td>
                  <td className="px-3 py-1.5">
                    <input
                      type="checkbox"
                      aria-label={`${u.email} adjudicates`}
                      checked={u.isSenior || isAdminHere}
                      disabled={isAdminHere}
                      onChange={(e) => updateUser.mutate({ id: u.id, changes: { isSenior: e.target.checked } })}
                    />
                  </td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{u.decisionCount.toLocaleString()}</td>
                  <td className="px-3 py-1.5">
                    {resetFor === u.id ? (
                      <form className="flex items-center gap-1" onSubmit={(e) => onReset(e, u.id)}>
                        <input
                          autoFocus
                          required
                          minLength={12}
                          type="password"
                          autoComplete="new-password"
                          aria-label={`New password for ${u.email}`}
                          placeholder="new password"
                          value={newPassword}
                          onChange={(e) => setNewPassword(e.target.value)}
                          className={`${inputClass} w-36`}
                        />
                        <button type="submit" className={buttonClass}>
                          Save
                        </button>
                        <button type="button" className={secondaryButtonClass} onClick={() => setResetFor(null)}>
                          Cancel
                        </button>
                      </form>
                    ) : (
                      <span className="flex gap-1">
                        <button
                          type="button"
                          className={secondaryButtonClass}
                          onClick={() => {
                            setResetFor(u.id);
                            setNewPassword("");
                          }}
                        >
                          Reset password
                        </button>
                        {!isSelf && (
                          <button
                            type="button"
                            className={secondaryButtonClass}
                            onClick={() => updateUser.mutate({ id: u.id, changes: { isActive: !u.isActive } })}
                          >
                            {u.isActive ? "Deactivate" : "Reactivate"}
                          </button>
                        )}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
