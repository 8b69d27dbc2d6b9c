const STYLES: Record<string, string> = {
  active: "border-emerald-200 bg-emerald-50 text-emerald-800",
  shadow: "border-indigo-200 bg-indigo-50 text-indigo-800",
  candidate: "border-slate-200 bg-slate-50 text-slate-700",
  archived: "border-slate-200 bg-white text-slate-500",
  queued: "border-slate-200 bg-slate-50 text-slate-700",
  training: "border-amber-200 bg-amber-50 text-amber-800",
  evaluating: "border-amber-200 bg-amber-50 text-amber-800",
  done: "border-emerald-200 bg-emerald-50 text-emerald-800",
  failed: "border-rose-200 bg-rose-50 text-rose-800",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`inline-block rounded border px-1.5 py-0.5 text-[11px] font-medium ${STYLES[status] ?? STYLES.candidate}`}>{status}</span>;
}
