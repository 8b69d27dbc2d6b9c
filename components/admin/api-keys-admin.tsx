"use client";

import { DateInput } from "@/components/ui/date-input.tsx";
import { useState, type FormEvent } from "react";
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from "@/components/hooks/use-machine-api-admin.ts";
import { CheckboxGroup } from "@/components/ui/checkbox-group.tsx";
import { buttonClass, ErrorBanner, inputClass, PageHeader, secondaryButtonClass } from "@/components/ui/page-header.tsx";
import { formatDateTime } from "@/lib/format/date.ts";
import { API_SCOPES, type TApiScope } from "@/lib/serving/scopes.ts";

// what each scope allows: the Record makes a new scope fail the type check until it is explained here
const SCOPE_HINTS: Record<TApiScope, string> = {
  classify: "score texts (POST /api/v1/classify, Perspective analyze)",
  ingest: "send texts into the review queue",
  "decisions:read": "read the moderators' final decisions",
};
const SCOPES = API_SCOPES.map((value) => ({ value, hint: SCOPE_HINTS[value] }));

const when = (iso: string | null) => formatDateTime(iso, { fallback: "—" });

export function ApiKeysAdmin() {
  const { data: keys = [], error: listError } = useApiKeys();
  const createKey = useCreateApiKey();
  const revokeKey = useRevokeApiKey();
  const [form, setForm] = useState({ name: "", scopes: ["classify", "ingest"] as TApiScope[], rateLimit: "", expiresOn: "" });
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const [isCopied, setIsCopied] = useState(false);
  const [confirmId, setConfirmId] = useState<number | null>(null);

  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    setShown(null);
    createKey.mutate(
      {
        name: form.name,
        scopes: form.scopes,
        rateLimitPerMinute: form.rateLimit.trim() === "" ? null : Number(form.rateLimit),
        // the end of the chosen day, local time
        expiresAt: form.expiresOn ? new Date(`${form.expiresOn}T23:59:59`).toISOString() : null,
      },
      {
        onSuccess: ({ key }) => {
          setShown({ name: key.name, key: key.key });
          setIsCopied(false);
          setForm({ name: "", scopes: ["classify", "ingest"], rateLimit: "", expiresOn: "" });
        },
      },
    );
  };

  const copy = async () => {
    if (!shown) return;
    await navigator.clipboard.writeText(shown.key);
    setIsCopied(true);
  };

  return (
    <div>
      <PageHeader
        title="API keys"
        description="Keys let your game servers and bots call the machine API (/api/v1) for this workspace. Only a hash is stored: a key is shown once, when it is created."
      />
      <ErrorBanner error={createKey.error ?? revokeKey.error ?? listError} />
      {shown && (
        <section role="status" aria-label="New API key" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-[13px] text-amber-900">
          <p className="font-semibold">Copy the key “{shown.name}” now: it will not be shown again.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code data-testid="new-api-key" className="rounded border border-amber-200 bg-white px-2 py-1 font-mono text-[12px] break-all select-all">
              {shown.key}
            </code>
            <button type="button" className={secondaryButtonClass} onClick={() => void copy()}>
              {isCopied ? "Copied" : "Copy key"}
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setShown(null)}>
              I have saved it
            </button>
          </div>
        </section>
      )}
      <form onSubmit={onCreate} aria-label="Create API key" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-2.5">
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Name</span>
          <input
            required
            maxLength={100}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            className={`${inputClass} w-48`}
            placeholder="Game server EU"
          />
        </label>
        <CheckboxGroup legend="Scopes" options={SCOPES} selected={form.scopes} onChange={(scopes) => setForm({ ...form, scopes })} />
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Rate limit (requests/minute, empty: none)</span>
          <input
            type="number"
            min={1}
            max={10_000_000}
            step={1}
            value={form.rateLimit}
            onChange={(e) => setForm({ ...form, rateLimit: e.target.value })}
            className={`${inputClass} w-40`}
          />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Expires on (empty: never)</span>
          <DateInput value={form.expiresOn} onChange={(e) => setForm({ ...form, expiresOn: e.target.value })} className={inputClass} />
        </label>
        <button type="submit" className={buttonClass} disabled={createKey.isPending || form.scopes.length === 0}>
          {createKey.isPending ? "Creating…" : "Create key"}
        </button>
      </form>
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-[13px]" aria-label="API keys">
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-[11px] font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">Prefix</th>
              <th className="px-3 py-2">Scopes</th>
              <th className="px-3 py-2">Rate limit</th>
              <th className="px-3 py-2">Status</th>
              <th className="px-3 py-2">Last used</th>
              <th className="px-3 py-2">Expires</th>
              <th className="px-3 py-2">Actions</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {keys.length === 0 && (
              <tr>
                <td colSpan={8} className="px-3 py-3 text-slate-500">
                  No keys yet. Create one above, or with <code>npm run apikey -- create</code>.
                </td>
              </tr>
            )}
            {keys.map((k) => (
              <tr key={k.id}>
                <td className="px-3 py-1.5 font-medium">{k.name}</td>
                <td className="px-3 py-1.5 font-mono text-[12px]">{k.prefix}…</td>
                <td className="px-3 py-1.5">{k.scopes.join(", ")}</td>
                <td className="px-3 py-1.5">{k.rateLimitPerMinute === null ? "none" : `${k.rateLimitPerMinute.toLocaleString()}/min`}</td>
                <td className="px-3 py-1.5">
                  <span className={k.status === "active" ? "text-emerald-700" : "text-slate-500"}>{k.status}</span>
                </td>
                <td className="px-3 py-1.5">{when(k.lastUsedAt)}</td>
                <td className="px-3 py-1.5">{when(k.expiresAt)}</td>
                <td className="px-3 py-1.5">
                  {k.status !== "revoked" &&
                    (confirmId === k.id ? (
                      <span className="flex items-center gap-1">
                        <span className="text-[12px] text-slate-600">Revoke “{k.name}”? Requests with it fail at once.</span>
                        <button
                          type="button"
                          className="rounded-md bg-red-600 px-2 py-1 text-[12px] font-medium text-white hover:bg-red-700 disabled:opacity-50"
                          disabled={revokeKey.isPending}
                          onClick={() => revokeKey.mutate({ id: k.id }, { onSuccess: () => setConfirmId(null) })}
                        >
                          Confirm revoke
                        </button>
                        <button type="button" className={secondaryButtonClass} onClick={() => setConfirmId(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <button type="button" className={secondaryButtonClass} aria-label={`Revoke ${k.name}`} onClick={() => setConfirmId(k.id)}>
                        Revoke
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
