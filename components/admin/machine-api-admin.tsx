"use client";

import { useEffect, useState, type FormEvent } from "react";
import { useServingSettings, useUpdateServing } from "@/components/hooks/use-machine-api-admin.ts";
import { buttonClass, ErrorBanner, inputClass, PageHeader, secondaryButtonClass } from "@/components/ui/page-header.tsx";
import type { TServingSettings } from "@/lib/serving/contract.ts";

type TAttributeRow = TServingSettings["attributes"][number];

export function MachineApiAdmin() {
  const { data: settings, error: loadError } = useServingSettings();
  const update = useUpdateServing();
  const [routing, setRouting] = useState({ isRouteFlagged: true, margin: "", auditShare: "0" });
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (settings) {
      setRouting({
        isRouteFlagged: settings.isRouteFlagged,
        margin: settings.routeUncertainMargin === null ? "" : String(settings.routeUncertainMargin),
        auditShare: String(settings.routeAuditShare),
      });
    }
  }, [settings]);

  const onSave = (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    update.mutate(
      {
        routing: {
          isRouteFlagged: routing.isRouteFlagged,
          routeUncertainMargin: routing.margin.trim() === "" ? null : Number(routing.margin),
          routeAuditShare: Number(routing.auditShare),
        },
      },
      { onSuccess: () => setMessage("Routing settings saved; the API applies them from its next request.") },
    );
  };

  return (
    <div>
      <PageHeader
        title="Machine API"
        description="How texts sent through the machine API (/api/v1) enter the review queue, and which Perspective attribute each category answers under."
      />
      <ErrorBanner error={update.error ?? loadError} />
      {message && (
        <div role="status" className="mb-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-[13px] text-emerald-800">
          {message}
        </div>
      )}
      <form onSubmit={onSave} aria-label="Routing settings" className="mb-6 flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-2.5">
        <label className="flex items-center gap-1.5 text-[13px]">
          <input type="checkbox" checked={routing.isRouteFlagged} onChange={(e) => setRouting({ ...routing, isRouteFlagged: e.target.checked })} />
          Queue texts the model flags as toxic
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Uncertainty margin (0–1, empty: off)</span>
          <input
            type="number"
            min={0.001}
            max={1}
            step="any"
            value={routing.margin}
            onChange={(e) => setRouting({ ...routing, margin: e.target.value })}
            className={`${inputClass} w-36`}
          />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Audit share (0–1)</span>
          <input
            required
            type="number"
            min={0}
            max={1}
            step="any"
            value={routing.auditShare}
            onChange={(e) => setRouting({ ...routing, auditShare: e.target.value })}
            className={`${inputClass} w-28`}
          />
        </label>
        <button type="submit" className={buttonClass} disabled={update.isPending || !settings}>
          Save routing
        </button>
      </form>

      <h2 className="mb-1 text-[14px] font-semibold">Perspective attributes</h2>
      <p className="mb-2 text-[12px] text-slate-500">
        Perspective-compatible clients ask for attributes such as INSULT or THREAT. Each toxic category answers under one name: its own (upper-cased) unless you
        map it here.
      </p>
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-[13px]" aria-label="Perspective attributes">
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-[11px] font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-3 py-2">Category</th>
              <th className="px-3 py-2">Answers as</th>
              <th className="px-3 py-2">Mapping</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {settings?.attributes.map((a) => (
              <AttributeRow key={a.categoryId} row={a} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function AttributeRow({ row }: { row: TAttributeRow }) {
  const update = useUpdateServing();
  const [value, setValue] = useState(row.isExplicit ? (row.attribute ?? "") : "");
  useEffect(() => setValue(row.isExplicit ? (row.attribute ?? "") : ""), [row.attribute, row.isExplicit]);
  if (row.isNonToxic) {
    return (
      <tr>
        <td className="px-3 py-1.5 font-medium">{row.name}</td>
        <td className="px-3 py-1.5 font-mono text-[12px]">1 − TOXICITY</td>
        <td className="px-3 py-1.5 text-slate-500">the non-toxic category takes no attribute</td>
      </tr>
    );
  }
  return (
    <tr>
      <td className="px-3 py-1.5 font-medium">{row.name}</td>
      <td className="px-3 py-1.5 font-mono text-[12px]">
        {row.attribute ?? "—"} {row.isExplicit ? "" : <span className="font-sans text-slate-500">(from its name)</span>}
      </td>
      <td className="px-3 py-1.5">
        <form
          aria-label={`Attribute of ${row.name}`}
          className="flex flex-wrap items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ categoryId: row.categoryId, attribute: value.trim() === "" ? null : value.trim() });
          }}
        >
          <label className="flex items-center gap-1">
            <span className="sr-only">Perspective attribute for {row.name}</span>
            <input
              value={value}
              maxLength={64}
              placeholder="e.g. INSULT"
              onChange={(e) => setValue(e.target.value)}
              className={`${inputClass} w-40 font-mono uppercase`}
            />
          </label>
          <button type="submit" className={secondaryButtonClass} disabled={update.isPending}>
            {value.trim() === "" ? "Use its name" : "Save"}
          </button>
          {update.error && (
            <span role="alert" className="text-[12px] text-red-700">
              {update.error.message}
            </span>
          )}
        </form>
      </td>
    </tr>
  );
}
