import type { TCategory } from "@/lib/taxonomy/contract.ts";

export function CategoryChip({ category, fallback = "—" }: { category: TCategory | undefined; fallback?: string }) {
  if (!category) return <span className="text-slate-500">{fallback}</span>;
  return (
    <span className="inline-flex max-w-full items-center gap-1.5 rounded border border-slate-200 bg-white px-1.5 py-0.5 text-xs font-medium whitespace-nowrap">
      <span className="h-2 w-2 shrink-0 rounded-sm" style={{ backgroundColor: category.color }} />
      <span className="truncate">{category.name}</span>
    </span>
  );
}
