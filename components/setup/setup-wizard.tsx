"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useCreateFirstAdmin } from "@/components/hooks/use-create-first-admin.ts";
import { buttonClass, ErrorBanner, inputClass } from "@/components/ui/page-header.tsx";
import { CreateWorkspaceForm } from "@/components/workspaces/create-workspace-form.tsx";

const STEPS = ["Your admin account", "Your first workspace", "Import your data"] as const;

/**
 * First run: the first admin account, then the first workspace and its taxonomy, then on to the import
 * page. The server decides where to start (no account yet: step 1; an admin without workspaces: step 2).
 */
export function SetupWizard({ initialStep }: { initialStep: 0 | 1 }) {
  const router = useRouter();
  const [step, setStep] = useState<0 | 1>(initialStep);
  return (
    <div className="space-y-4">
      <ol className="flex gap-4 text-[13px]" aria-label="Setup steps">
        {STEPS.map((label, i) => (
          <li key={label} aria-current={i === step ? "step" : undefined} className={i === step ? "font-semibold text-slate-900" : "text-slate-400"}>
            {i + 1}. {label}
          </li>
        ))}
      </ol>
      {step === 0 ? (
        <FirstAdminForm onCreated={() => setStep(1)} />
      ) : (
        <section aria-labelledby="setup-workspace">
          <h2 id="setup-workspace" className="mb-1 text-base font-semibold">
            Create your first workspace
          </h2>
          <p className="mb-3 text-[13px] text-slate-600">
            A workspace holds one team&apos;s taxonomy, data, models and queue. Start from a template, or from a file with your own categories.
          </p>
          <CreateWorkspaceForm
            onCreated={(workspace) => {
              router.push(`/w/${workspace.slug}/admin/import`);
              router.refresh();
            }}
          />
        </section>
      )}
      <p className="text-[12px] text-slate-500">
        Only want to look around? Stop modloop and run <code>npm run db:seed</code>: it adds the demo workspace (&ldquo;Demo: game chat&rdquo;, with generated
        chat, a trained model and one account per role) beside yours, never mixed with it.
      </p>
    </div>
  );
}

function FirstAdminForm({ onCreated }: { onCreated: () => void }) {
  const createAdmin = useCreateFirstAdmin();
  const [form, setForm] = useState({ name: "", email: "", password: "" });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    createAdmin.mutate(form, { onSuccess: onCreated });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-label="Create the first admin">
      <h2 className="text-base font-semibold">Create the admin account</h2>
      <p className="text-[13px] text-slate-600">This first account can create workspaces and add people. It can only be made while no account exists.</p>
      <ErrorBanner error={createAdmin.error} />
      <label className="flex flex-col gap-0.5">
        <span className="text-[11px] font-medium text-slate-500">Name</span>
        <input required autoComplete="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} className={inputClass} />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="text-[11px] font-medium text-slate-500">Email</span>
        <input
          required
          type="email"
          autoComplete="username"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          className={inputClass}
        />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="text-[11px] font-medium text-slate-500">Password (at least 12 characters; a passphrase works well)</span>
        <input
          required
          type="password"
          autoComplete="new-password"
          minLength={12}
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          className={inputClass}
        />
      </label>
      <button type="submit" disabled={createAdmin.isPending} className={buttonClass}>
        {createAdmin.isPending ? "Creating…" : "Create admin and continue"}
      </button>
    </form>
  );
}
