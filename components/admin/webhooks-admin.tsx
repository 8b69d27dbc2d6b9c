"use client";

import { useState, type FormEvent } from "react";
import { useChangeWebhook, useCreateWebhook, useRedeliver, useWebhookDeliveries, useWebhooks } from "@/components/hooks/use-machine-api-admin.ts";
import { CheckboxGroup } from "@/components/ui/checkbox-group.tsx";
import { buttonClass, ErrorBanner, inputClass, PageHeader, secondaryButtonClass } from "@/components/ui/page-header.tsx";
import { formatDateTime } from "@/lib/format/date.ts";
import { type TWebhookEventType, WEBHOOK_EVENTS } from "@/lib/webhooks/events.ts";

// what each event means: the Record makes a new event fail the type check until it is explained here
const EVENT_HINTS: Record<TWebhookEventType, string> = {
  "decision.final": "a text got its final decision (moderator, adjudication or automatic)",
  "excerpt.flagged": "a live text was flagged toxic by the model",
  "model.promoted": "a new model was promoted to serve",
};
const EVENTS = WEBHOOK_EVENTS.map((value) => ({ value, hint: EVENT_HINTS[value] }));

const when = (iso: string | null) => formatDateTime(iso, { fallback: "—" });
const STATUS_CLASS: Record<string, string> = { delivered: "text-emerald-700", failed: "text-red-700", pending: "text-amber-700", cancelled: "text-slate-500" };

export function WebhooksAdmin() {
  const { data: webhooks = [], error: listError } = useWebhooks();
  const { data: log, error: logError } = useWebhookDeliveries();
  const createHook = useCreateWebhook();
  const changeHook = useChangeWebhook();
  const redeliver = useRedeliver();
  const [form, setForm] = useState({ name: "", url: "", events: ["decision.final"] as TWebhookEventType[] });
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [confirmId, setConfirmId] = useState<number | null>(null);
  const names = new Map(webhooks.map((w) => [w.id, w.name || w.url]));

  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    setSecret(null);
    createHook.mutate(form, {
      onSuccess: ({ webhook }) => {
        setSecret({ name: webhook.name || webhook.url, secret: webhook.secret });
        setForm({ name: "", url: "", events: ["decision.final"] });
      },
    });
  };

  return (
    <div>
      <PageHeader
        title="Webhooks"
        description="modloop POSTs signed JSON to your https endpoint when these events happen. Verify each delivery with the signing secret (see the README); failed deliveries are retried, and you can redeliver from the log below."
      />
      <ErrorBanner error={createHook.error ?? changeHook.error ?? redeliver.error ?? listError ?? logError} />
      {secret && (
        <section
          role="status"
          aria-label="Webhook signing secret"
          className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-[13px] text-amber-900"
        >
          <p className="font-semibold">Signing secret of “{secret.name}”: copy it now, it will not be shown again.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code data-testid="webhook-secret" className="rounded border border-amber-200 bg-white px-2 py-1 font-mono text-[12px] break-all select-all">
              {secret.secret}
            </code>
            <button type="button" className={secondaryButtonClass} onClick={() => void navigator.clipboard.writeText(secret.secret)}>
              Copy secret
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setSecret(null)}>
              I have saved it
            </button>
          </div>
        </section>
      )}
      <form onSubmit={onCreate} aria-label="Add webhook" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-2.5">
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Name</span>
          <input
            maxLength={100}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            className={`${inputClass} w-40`}
            placeholder="Discord bot"
          />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">URL (https)</span>
          <input
            required
            type="url"
            maxLength={2000}
            value={form.url}
            onChange={(e) => setForm({ ...form, url: e.target.value })}
            className={`${inputClass} w-80`}
            placeholder="https://bot.example.com/modloop"
          />
        </label>
        <CheckboxGroup legend="Events" options={EVENTS} selected={form.events} onChange={(events) => setForm({ ...form, events })} />
        <button type="submit" className={buttonClass} disabled={createHook.isPending || form.events.length === 0}>
          {createHook.isPending ? "Adding…" : "Add webhook"}
        </button>
      </form>

      <div className="mb-6 overflow-hidden rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-[13px]" aria-label="Webhooks">
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-[11px] font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">URL</th>
              <th className="px-3 py-2">Events</th>
              <th className="px-3 py-2">Active</th>
              <th className="px-3 py-2">Actions</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {webhooks.length === 0 && (
              <tr>
                <td colSpan={5} className="px-3 py-3 text-slate-500">
                  No webhooks yet.
                </td>
              </tr>
            )}
            {webhooks.map((w) => (
              <tr key={w.id}>
                <td className="px-3 py-1.5 font-medium">{w.name || "—"}</td>
                <td className="px-3 py-1.5 font-mono text-[12px] break-all">{w.url}</td>
                <td className="px-3 py-1.5">{w.events.join(", ")}</td>
                <td className="px-3 py-1.5">
                  <label className="flex items-center gap-1">
                    <input
                      type="checkbox"
                      checked={w.isActive}
                      disabled={changeHook.isPending}
                      onChange={(e) => changeHook.mutate({ id: w.id, patch: { isActive: e.target.checked } })}
                    />
                    <span className="sr-only">Active: {w.name || w.url}</span>
                  </label>
                </td>
                <td className="px-3 py-1.5">
                  <span className="flex flex-wrap items-center gap-1">
                    <button
                      type="button"
                      className={secondaryButtonClass}
                      onClick={() =>
                        changeHook.mutate(
                          { id: w.id, patch: { rotateSecret: true } },
                          { onSuccess: ({ webhook }) => webhook?.secret && setSecret({ name: webhook.name || webhook.url, secret: webhook.secret }) },
                        )
                      }
                    >
                      Rotate secret
                    </button>
                    {confirmId === w.id ? (
                      <>
                        <button
                          type="button"
                          className="rounded-md bg-red-600 px-2 py-1 text-[12px] font-medium text-white hover:bg-red-700"
                          onClick={() => changeHook.mutate({ id: w.id, isDelete: true }, { onSuccess: () => setConfirmId(null) })}
                        >
                          Confirm delete
                        </button>
                        <button type="button" className={secondaryButtonClass} onClick={() => setConfirmId(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button type="button" className={secondaryButtonClass} aria-label={`Delete ${w.name || w.url}`} onClick={() => setConfirmId(w.id)}>
                        Delete
                      </button>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="mb-2 text-[14px] font-semibold">Delivery log</h2>
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-[13px]" aria-label="Delivery log">
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-[11px] font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-3 py-2">Time</th>
              <th className="px-3 py-2">Webhook</th>
              <th className="px-3 py-2">Event</th>
              <th className="px-3 py-2">Status</th>
              <th className="px-3 py-2">Response</th>
              <th className="px-3 py-2 text-right">Attempts</th>
              <th className="px-3 py-2">Last error</th>
              <th className="px-3 py-2">Actions</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {(log?.deliveries.length ?? 0) === 0 && (
              <tr>
                <td colSpan={8} className="px-3 py-3 text-slate-500">
                  No deliveries yet.
                </td>
              </tr>
            )}
            {log?.deliveries.map((d) => (
              <tr key={d.id}>
                <td className="px-3 py-1.5 whitespace-nowrap">{when(d.lastAttemptAt ?? d.createdAt)}</td>
                <td className="px-3 py-1.5">{names.get(d.webhookId) ?? `#${d.webhookId}`}</td>
                <td className="px-3 py-1.5 font-mono text-[12px]">{d.eventType}</td>
                <td className={`px-3 py-1.5 ${STATUS_CLASS[d.status] ?? ""}`}>{d.status}</td>
                <td className="px-3 py-1.5 tabular-nums">{d.responseStatus ?? "—"}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{d.attempts}</td>
                <td className="max-w-64 truncate px-3 py-1.5 text-slate-600" title={d.lastError ?? undefined}>
                  {d.lastError ?? ""}
                </td>
                <td className="px-3 py-1.5">
                  {d.status !== "pending" && (
                    <button
                      type="button"
                      className={secondaryButtonClass}
                      disabled={redeliver.isPending}
                      aria-label={`Redeliver delivery ${d.id}`}
                      onClick={() => redeliver.mutate({ deliveryId: d.id })}
                    >
                      Redeliver
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
