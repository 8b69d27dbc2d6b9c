"use client";

import { DateInput } from "@/components/ui/date-input.tsx";
import { formatDateTime } from "@/lib/format/date.ts";

import { useState, type FormEvent } from "react";
import type { TSnapshotSummary } from "@/lib/export/api-types.ts";
import { EXPORT_FORMATS, type TExportFormat, type TLabelRule, type TSnapshotParamsInput } from "@/lib/export/params.ts";
import { buttonClass, ErrorBanner, inputClass, PageHeader, secondaryButtonClass } from "@/components/ui/page-header.tsx";
import { useCreateSnapshot, useSnapshot, useSnapshotDiff, useSnapshots } from "./use-snapshots.ts";
import { useWorkspace } from "@/components/hooks/workspace-context.tsx";
import { workspaceApiPath } from "@/lib/workspace/paths.ts";

type TOption = { id: number; name: string };

const FORMAT_LABELS: Record<TExportFormat, string> = { jsonl: "JSONL", csv: "CSV", parquet: "Parquet", hf: "Hugging Face folder" };
const label = "text-[11px] font-medium text-slate-500";

export function DatasetsView(props: {
  initialSnapshots: TSnapshotSummary[];
  categories: TOption[];
  moderators: TOption[];
  games?: string[];
  channels?: string[];
}) {
  const { slug } = useWorkspace();
  const { data: snapshots = props.initialSnapshots } = useSnapshots(props.initialSnapshots);
  const create = useCreateSnapshot();
  const [openId, setOpenId] = useState<number | null>(null);
  const [compare, setCompare] = useState<{ before: string; after: string }>({ before: "", after: "" });
  const [diffPair, setDiffPair] = useState<{ before: number; after: number } | null>(null);
  const diff = useSnapshotDiff(diffPair);
  const [form, setForm] = useState({
    name: "",
    labelRule: "latest" as TLabelRule,
    train: 80,
    validation: 0,
    test: 20,
    goldSplit: false,
    includeDisputed: false,
    minAgreeing: 1,
    sources: [] as ("text" | "voice")[],
    categoryIds: [] as number[],
    moderatorIds: [] as number[],
    games: [] as string[],
    channels: [] as string[],
    from: "",
    to: "",
    formats: [...EXPORT_FORMATS] as TExportFormat[],
  });
  const toggle = <T,>(xs: T[], x: T) => (xs.includes(x) ? xs.filter((y) => y !== x) : [...xs, x]);

  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    const params: TSnapshotParamsInput = {
      name: form.name,
      labelRule: form.labelRule,
      split: { train: form.train / 100, validation: form.validation / 100, test: form.test / 100 },
      goldSplit: form.goldSplit,
      formats: form.formats,
      filters: {
        includeDisputed: form.includeDisputed,
        minAgreeing: form.minAgreeing,
        ...(form.sources.length ? { sources: form.sources } : {}),
        ...(form.categoryIds.length ? { categoryIds: form.categoryIds } : {}),
        ...(form.moderatorIds.length ? { moderatorIds: form.moderatorIds } : {}),
        ...(form.games.length ? { games: form.games } : {}),
        ...(form.channels.length ? { channels: form.channels } : {}),
        ...(form.from ? { from: form.from } : {}),
        ...(form.to ? { to: form.to } : {}),
      },
    };
    create.mutate(params, { onSuccess: ({ snapshot }) => setOpenId(snapshot.id) });
  };

  const done = snapshots.filter((s) => s.status === "done");
  // the server refuses these too (server/export/diff-snapshots.ts); saying so before the click is kinder
  const beforeSnap = done.find((s) => String(s.id) === compare.before);
  const afterSnap = done.find((s) => String(s.id) === compare.after);
  const compareProblem =
    beforeSnap && afterSnap
      ? beforeSnap.id === afterSnap.id
        ? "Pick two different snapshots."
        : Date.parse(beforeSnap.createdAt) > Date.parse(afterSnap.createdAt) || (beforeSnap.createdAt === afterSnap.createdAt && beforeSnap.id > afterSnap.id)
          ? `#${beforeSnap.id} is newer than #${afterSnap.id}: "Older" must be the earlier snapshot.`
          : null
      : null;
  return (
    <div className="mx-auto max-w-6xl p-4">
      <PageHeader
        title="Datasets"
        description="Immutable, versioned snapshots of the labelled set: deterministic leak-free splits, JSONL, CSV, Parquet and a Hugging Face folder. Every export is recorded."
      />
      <ErrorBanner error={create.error} />
      <form onSubmit={onCreate} aria-label="Create snapshot" className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-3 md:grid-cols-4">
        <label className="flex flex-col gap-0.5 md:col-span-2">
          <span className={label}>Name</span>
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} className={inputClass} placeholder="e.g. weekly retrain" />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className={label}>Label rule</span>
          <select value={form.labelRule} onChange={(e) => setForm({ ...form, labelRule: e.target.value as TLabelRule })} className={inputClass}>
            <option value="latest">Latest decision</option>
            <option value="majority">Majority vote (ties disputed)</option>
          </select>
        </label>
        <div className="flex flex-col gap-0.5">
          <span className={label}>Split % (train / validation / test)</span>
          <div className="flex gap-1">
            {(["train", "validation", "test"] as const).map((k) => (
              <input
                key={k}
                aria-label={`${k} percent`}
                type="number"
                min={0}
                max={100}
                value={form[k]}
                onChange={(e) => setForm({ ...form, [k]: Number(e.target.value) })}
                className={`${inputClass} w-16`}
              />
            ))}
          </div>
        </div>
        <fieldset className="flex flex-col gap-1">
          <legend className={label}>Formats</legend>
          {EXPORT_FORMATS.map((f) => (
            <label key={f} className="flex items-center gap-1.5 text-[13px]">
              <input type="checkbox" checked={form.formats.includes(f)} onChange={() => setForm({ ...form, formats: toggle(form.formats, f) })} />
              {FORMAT_LABELS[f]}
            </label>
          ))}
        </fieldset>
        <fieldset className="flex flex-col gap-1">
          <legend className={label}>Categories (none = all)</legend>
          {props.categories.map((c) => (
            <label key={c.id} className="flex items-center gap-1.5 text-[13px]">
              <input
                type="checkbox"
                checked={form.categoryIds.includes(c.id)}
                onChange={() => setForm({ ...form, categoryIds: toggle(form.categoryIds, c.id) })}
              />
              {c.name}
            </label>
          ))}
        </fieldset>
        <div className="flex flex-col gap-2">
          <fieldset className="flex gap-3">
            <legend className={label}>Sources (none = all)</legend>
            {(["text", "voice"] as const).map((s) => (
              <label key={s} className="flex items-center gap-1.5 text-[13px]">
                <input type="checkbox" checked={form.sources.includes(s)} onChange={() => setForm({ ...form, sources: toggle(form.sources, s) })} />
                {s}
              </label>
            ))}
          </fieldset>
          <label className="flex flex-col gap-0.5">
            <span className={label}>Moderators (none = all)</span>
            <select
              multiple
              value={form.moderatorIds.map(String)}
              onChange={(e) => setForm({ ...form, moderatorIds: [...e.target.selectedOptions].map((o) => Number(o.value)) })}
              className={`${inputClass} h-20`}
            >
              {props.moderators.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="flex flex-col gap-2">
          <PickMany label="Games (none = all)" options={props.games ?? []} value={form.games} onChange={(games) => setForm({ ...form, games })} />
          <PickMany
            label="Channels (none = all)"
            options={props.channels ?? []}
            value={form.channels}
            onChange={(channels) => setForm({ ...form, channels })}
          />
          {/* two columns that shrink with the card: the native date inputs no longer overflow it */}
          <div className="grid grid-cols-2 gap-1">
            <label className="flex min-w-0 flex-col gap-0.5">
              <span className={label}>From</span>
              <DateInput
                value={form.from}
                onChange={(e) => setForm({ ...form, from: e.target.value })}
                className={`${inputClass} w-full min-w-0`}
                wrapperClassName="min-w-0"
              />
            </label>
            <label className="flex min-w-0 flex-col gap-0.5">
              <span className={label}>To (exclusive)</span>
              <DateInput
                value={form.to}
                min={form.from || undefined}
                onChange={(e) => setForm({ ...form, to: e.target.value })}
                className={`${inputClass} w-full min-w-0`}
                wrapperClassName="min-w-0"
              />
            </label>
          </div>
          {form.from && form.to && form.to <= form.from && <p className="text-[11px] text-rose-700">&quot;To&quot; must be after &quot;From&quot;.</p>}
        </div>
        <div className="flex flex-col gap-1.5 md:col-span-4 md:flex-row md:items-end md:gap-4">
          <label className="flex items-center gap-1.5 text-[13px]">
            Min. agreeing moderators
            <input
              type="number"
              min={1}
              value={form.minAgreeing}
              onChange={(e) => setForm({ ...form, minAgreeing: Number(e.target.value) })}
              className={`${inputClass} w-14`}
            />
          </label>
          <label className="flex items-center gap-1.5 text-[13px]">
            <input type="checkbox" checked={form.includeDisputed} onChange={(e) => setForm({ ...form, includeDisputed: e.target.checked })} />
            Include disputed (tied votes)
          </label>
          <label className="flex items-center gap-1.5 text-[13px]">
            <input type="checkbox" checked={form.goldSplit} onChange={(e) => setForm({ ...form, goldSplit: e.target.checked })} />
            Gold set (audit slice and held-out imports) as its own split
          </label>
          <div className="flex-1" />
          <button type="submit" className={buttonClass} disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create snapshot"}
          </button>
        </div>
      </form>

      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-[13px]" aria-label="Snapshots">
          <thead className="bg-slate-50 text-left text-[11px] uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-2 py-1.5">#</th>
              <th className="px-2 py-1.5">Name</th>
              <th className="px-2 py-1.5">By</th>
              <th className="px-2 py-1.5">Created</th>
              <th className="px-2 py-1.5">Status</th>
              <th className="px-2 py-1.5 text-right">Rows</th>
              <th className="px-2 py-1.5" />
            </tr>
          </thead>
          <tbody>
            {snapshots.length === 0 && (
              <tr>
                <td colSpan={7} className="px-2 py-6 text-center text-slate-500">
                  No snapshots yet. Create one above.
                </td>
              </tr>
            )}
            {snapshots.map((s) => (
              <tr key={s.id} data-testid={`snapshot-${s.id}`} className="border-t border-slate-100">
                <td className="px-2 py-1.5 font-mono">{s.id}</td>
                <td className="px-2 py-1.5">
                  <button type="button" className="text-left underline-offset-2 hover:underline" onClick={() => setOpenId(openId === s.id ? null : s.id)}>
                    {s.name || <span className="text-slate-500">untitled</span>}
                  </button>
                  <div className="text-[11px] text-slate-500">
                    {s.params.labelRule} · {s.params.formats.join(", ")}
                  </div>
                </td>
                <td className="px-2 py-1.5">{s.createdBy?.name ?? "CLI"}</td>
                <td className="px-2 py-1.5">{formatDateTime(s.createdAt)}</td>
                <td className="px-2 py-1.5">
                  <StatusCell snapshot={s} />
                </td>
                <td className="px-2 py-1.5 text-right tabular-nums">{s.status === "done" ? s.rowCount.toLocaleString() : "–"}</td>
                <td className="px-2 py-1.5 text-right">
                  {s.status === "done" && (
                    <a className={secondaryButtonClass} href={workspaceApiPath(slug, `datasets/snapshots/${s.id}/download`)} download>
                      Download
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {openId !== null && <SnapshotDetail id={openId} />}

      <section className="mt-4 rounded-lg border border-slate-200 bg-white p-3" aria-label="Compare snapshots">
        <h2 className="mb-2 text-[13px] font-semibold">Compare two snapshots</h2>
        <div className="flex flex-wrap items-end gap-2">
          {(["before", "after"] as const).map((k) => (
            <label key={k} className="flex flex-col gap-0.5">
              <span className={label}>{k === "before" ? "Older" : "Newer"}</span>
              <select value={compare[k]} onChange={(e) => setCompare({ ...compare, [k]: e.target.value })} className={inputClass}>
                <option value="">–</option>
                {done.map((s) => (
                  <option key={s.id} value={s.id}>
                    #{s.id} {s.name || "untitled"} · {formatDateTime(s.createdAt)}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={!compare.before || !compare.after || compareProblem !== null}
            onClick={() => setDiffPair({ before: Number(compare.before), after: Number(compare.after) })}
          >
            Compare
          </button>
        </div>
        {compareProblem && (
          <p className="mt-2 flex items-center gap-2 text-[12px] text-rose-700" role="alert" data-testid="compare-problem">
            {compareProblem}
            {compare.before !== compare.after && (
              <button type="button" className="underline" onClick={() => setCompare({ before: compare.after, after: compare.before })}>
                Swap them
              </button>
            )}
          </p>
        )}
        <ErrorBanner error={diff.error} />
        {diff.data && (
          <p className="mt-2 text-[13px]" role="status">
            <b>{diff.data.added}</b> added · <b>{diff.data.removed}</b> removed · <b>{diff.data.relabelled}</b> relabelled · {diff.data.movedSplit} moved split
            · {diff.data.unchanged} unchanged
          </p>
        )}
      </section>
    </div>
  );
}

function PickMany({ label: text, options, value, onChange }: { label: string; options: string[]; value: string[]; onChange: (v: string[]) => void }) {
  if (options.length === 0) return null;
  return (
    <label className="flex flex-col gap-0.5">
      <span className={label}>{text}</span>
      <select multiple value={value} onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))} className={`${inputClass} h-16`}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

function StatusCell({ snapshot: s }: { snapshot: TSnapshotSummary }) {
  if (s.status === "failed")
    return (
      <span className="text-rose-700" title={s.error ?? ""}>
        failed: {s.error}
      </span>
    );
  if (s.status === "done") return <span className="text-emerald-700">done</span>;
  return (
    <div
      className="flex items-center gap-2"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(s.progress * 100)}
      aria-label={`${s.status} ${Math.round(s.progress * 100)}%`}
    >
      <div className="h-1.5 w-24 overflow-hidden rounded bg-slate-100">
        <div className="h-full bg-indigo-500 transition-all" style={{ width: `${Math.round(s.progress * 100)}%` }} />
      </div>
      <span className="text-[11px] text-slate-500">
        {s.phase || s.status} {Math.round(s.progress * 100)}%
      </span>
    </div>
  );
}

/** "1.2 MB", "840 B": file sizes at a glance (the exact count is in the manifest). */
function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB"];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

function SnapshotDetail({ id }: { id: number }) {
  const { slug } = useWorkspace();
  const { data: s, error } = useSnapshot(id);
  if (error) return <ErrorBanner error={error} />;
  if (!s) return null;
  const splits = s.counts ? Object.keys(s.counts.bySplit) : [];
  return (
    <section className="mt-3 rounded-lg border border-slate-200 bg-white p-3 text-[13px]" aria-label={`Snapshot ${s.id}`}>
      <h2 className="mb-2 font-semibold">
        Snapshot #{s.id} {s.name}
      </h2>
      {s.counts && (
        <table className="mb-3 text-[12px]">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="pr-4">label</th>
              {splits.map((sp) => (
                <th key={sp} className="pr-4 text-right">
                  {sp} ({s.counts!.bySplit[sp]})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {s.taxonomy.map((t) => (
              <tr key={t.id}>
                <td className="pr-4">
                  {t.index}. {t.name}
                </td>
                {splits.map((sp) => (
                  <td key={sp} className="pr-4 text-right tabular-nums">
                    {s.counts!.bySplitAndLabel[sp]?.[t.name] ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {s.counts && (
        <p className="mb-2 text-slate-600">
          Mean agreement {s.counts.meanAgreement.toFixed(3)} · disputed {s.counts.disputed} · audit {s.counts.audit} · models{" "}
          {s.counts.modelVersions.join(", ") || "none"}
        </p>
      )}
      {s.status === "done" && (
        <table className="w-full text-[12px]" aria-label={`Files of snapshot ${s.id}`}>
          <thead>
            <tr className="text-left text-[11px] uppercase tracking-wide text-slate-500">
              <th className="py-1 pr-4">File</th>
              <th className="py-1 pr-4 text-right">Size</th>
              <th className="py-1 pr-4">SHA-256</th>
              <th className="py-1" />
            </tr>
          </thead>
          <tbody>
            {[{ path: "manifest.json", bytes: null, sha256: null }, ...s.files].map((f) => (
              <tr key={f.path} className="border-t border-slate-100" data-testid="snapshot-file">
                <td className="py-1 pr-4 font-mono">{f.path}</td>
                <td className="py-1 pr-4 text-right tabular-nums">{f.bytes === null ? "–" : formatBytes(f.bytes)}</td>
                <td className="py-1 pr-4 font-mono text-slate-600" title={f.sha256 ?? "the manifest lists the others' checksums"}>
                  {f.sha256 ? `${f.sha256.slice(0, 16)}…` : "–"}
                </td>
                <td className="py-1 text-right">
                  <a
                    className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900"
                    href={workspaceApiPath(slug, `datasets/snapshots/${s.id}/files?path=${encodeURIComponent(f.path)}`)}
                    download
                    aria-label={`Download ${f.path}`}
                  >
                    Download
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
