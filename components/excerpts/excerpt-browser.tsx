"use client";

import { DateInput } from "@/components/ui/date-input.tsx";
import { formatDateTime } from "@/lib/format/date.ts";

import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { useCategories } from "@/components/hooks/use-categories.ts";
import { EMPTY_EXCERPT_FILTERS, queryFromFilters } from "@/lib/excerpts/url-filters.ts";
import { useExcerptSearch, type TExcerptFilters } from "@/components/hooks/use-excerpt-search.ts";
import type { TCategory } from "@/lib/taxonomy/contract.ts";
import { CategoryChip } from "@/components/ui/category-chip.tsx";
import { ErrorBanner, inputClass, PageHeader, secondaryButtonClass } from "@/components/ui/page-header.tsx";
import { VisibleText } from "@/components/ui/visible-text.tsx";
import { useWorkspace } from "@/components/hooks/workspace-context.tsx";
import { workspacePath } from "@/lib/workspace/paths.ts";

export function ExcerptBrowser({
  initialCategories,
  initialFilters = EMPTY_EXCERPT_FILTERS,
}: {
  initialCategories: TCategory[];
  initialFilters?: TExcerptFilters;
}) {
  const { slug } = useWorkspace();
  const { data: categories = initialCategories } = useCategories(initialCategories);
  const categoryById = useMemo(() => new Map(categories.map((c) => [c.id, c])), [categories]);
  const [draft, setDraft] = useState<TExcerptFilters>(initialFilters);
  const [filters, setFilters] = useState<TExcerptFilters>(initialFilters);

  // Typing in the search box re-queries after a short pause; other filters apply at once.
  useEffect(() => {
    const timer = setTimeout(() => setFilters(draft), draft.q !== filters.q ? 300 : 0);
    return () => clearTimeout(timer);
  }, [draft, filters.q]);

  // the applied filters go into the URL (replaced, not pushed: typing is not a trail of history entries)
  useEffect(() => {
    const query = queryFromFilters(filters);
    const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, "", url);
  }, [filters]);

  const search = useExcerptSearch(filters);
  const rows = search.data?.pages.flatMap((p) => p.rows) ?? [];
  const set = (key: keyof TExcerptFilters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <div className="mx-auto max-w-[1400px] px-4 py-4">
      <PageHeader title="Excerpts" description="Search every imported line. Scores are the active model's toxic score (1 − p(non-toxic))." />
      <form
        className="mb-3 flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-2.5 text-[13px]"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Filters"
      >
        <label className="flex min-w-56 flex-1 flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Text</span>
          <input type="search" placeholder="Words in the excerpt…" value={draft.q} onChange={set("q")} className={inputClass} />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Label</span>
          <select value={draft.status} onChange={set("status")} className={inputClass}>
            <option value="all">All</option>
            <option value="labelled">Labelled</option>
            <option value="unlabelled">Unlabelled</option>
          </select>
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Category</span>
          <select value={draft.categoryId} onChange={set("categoryId")} className={inputClass}>
            <option value="">Any</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.isActive ? "" : " (retired)"}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Source</span>
          <select value={draft.source} onChange={set("source")} className={inputClass}>
            <option value="">Any</option>
            <option value="text">Text chat</option>
            <option value="voice">Voice</option>
          </select>
        </label>
        <fieldset className="flex flex-col gap-0.5">
          <legend className="text-[11px] font-medium text-slate-500">Toxic score</legend>
          <span className="flex items-center gap-1">
            <input
              aria-label="Minimum score"
              type="number"
              min={0}
              max={1}
              step={0.05}
              placeholder="0"
              value={draft.minScore}
              onChange={set("minScore")}
              className={`${inputClass} w-16`}
            />
            –
            <input
              aria-label="Maximum score"
              type="number"
              min={0}
              max={1}
              step={0.05}
              placeholder="1"
              value={draft.maxScore}
              onChange={set("maxScore")}
              className={`${inputClass} w-16`}
            />
          </span>
        </fieldset>
        <fieldset className="flex flex-col gap-0.5">
          <legend className="text-[11px] font-medium text-slate-500">Said between</legend>
          <span className="flex items-start gap-1">
            <DateInput aria-label="From date" value={draft.from ?? ""} onChange={set("from")} className={inputClass} />
            <span className="py-1">–</span>
            <DateInput aria-label="To date" value={draft.to ?? ""} onChange={set("to")} className={inputClass} />
          </span>
        </fieldset>
        <button type="button" className={secondaryButtonClass} onClick={() => setDraft(EMPTY_EXCERPT_FILTERS)}>
          Reset
        </button>
      </form>

      <ErrorBanner error={search.error} />

      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <table className="w-full table-fixed text-[13px]">
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-[11px] font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="w-20 px-3 py-2">ID</th>
              <th className="w-32 px-3 py-2">Said</th>
              <th className="w-28 px-3 py-2">Speaker</th>
              <th className="px-3 py-2">Text</th>
              <th className="w-32 px-3 py-2">Label</th>
              <th className="w-52 px-3 py-2">Model (toxic · suggests)</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="excerpt-rows">
            {rows.map((row) => (
              <tr key={row.id} className="hover:bg-slate-50">
                <td className="px-3 py-1.5 font-mono text-xs text-slate-500">
                  <Link href={workspacePath(slug, `excerpts/${row.id}`)} className="text-indigo-600 hover:underline">
                    {row.id}
                  </Link>
                </td>
                <td className="px-3 py-1.5 text-xs text-slate-500 tabular-nums">{formatDateTime(row.occurredAt, { fallback: "—" })}</td>
                <td className="truncate px-3 py-1.5 text-xs text-slate-600">
                  {row.source === "voice" && <span className="mr-1 rounded bg-slate-100 px-1 text-[10px] text-slate-700">voice</span>}
                  {row.speakerId ?? "—"}
                </td>
                <td className="px-3 py-1.5">
                  <Link href={workspacePath(slug, `excerpts/${row.id}`)} className="line-clamp-2 break-words text-slate-900">
                    <VisibleText text={row.text} />
                  </Link>
                  {(row.game || row.channel) && (
                    <div className="truncate text-[11px] text-slate-500">{[row.game, row.channel].filter(Boolean).join(" · ")}</div>
                  )}
                </td>
                <td className="px-3 py-1.5">
                  <CategoryChip category={row.currentCategoryId ? categoryById.get(row.currentCategoryId) : undefined} fallback="unlabelled" />
                </td>
                <td className="px-3 py-1.5">
                  {row.toxicScore === null ? (
                    <span className="text-xs text-slate-500">not scored</span>
                  ) : (
                    <span className="flex items-center gap-1.5 text-xs">
                      <span className="relative h-1.5 w-12 overflow-hidden rounded bg-slate-100">
                        <span className="absolute inset-y-0 left-0 bg-rose-500" style={{ width: `${Math.round(row.toxicScore * 100)}%` }} />
                      </span>
                      <span className="tabular-nums">{row.toxicScore.toFixed(2)}</span>
                      <SuggestedName category={row.suggestedCategoryId ? categoryById.get(row.suggestedCategoryId) : undefined} toxicScore={row.toxicScore} />
                    </span>
                  )}
                </td>
              </tr>
            ))}
            {rows.length === 0 && !search.isLoading && (
              <tr>
                <td colSpan={6} className="px-3 py-10 text-center text-slate-500">
                  No excerpts match these filters.
                </td>
              </tr>
            )}
            {search.isLoading && (
              <tr>
                <td colSpan={6} className="px-3 py-10 text-center text-slate-500">
                  Loading…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="mt-3 flex items-center gap-3 text-[13px] text-slate-500">
        <span>{rows.length.toLocaleString()} shown</span>
        {search.hasNextPage && (
          <button type="button" className={secondaryButtonClass} disabled={search.isFetchingNextPage} onClick={() => void search.fetchNextPage()}>
            {search.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * The suggested category beside the toxic score. A "non-toxic" suggestion with a toxic score above 0.5
 * (the toxic categories together outweigh it, none alone does) says so, as the queue does, instead of
 * reading "0.57 Not toxic".
 */
function SuggestedName({ category, toxicScore }: { category: TCategory | undefined; toxicScore: number }) {
  if (!category) return null;
  if (category.isNonToxic && toxicScore >= 0.5) {
    return (
      <span
        className="truncate text-amber-800"
        title={`Toxic categories together: ${Math.round(toxicScore * 100)}%; none alone is likelier than ${category.name}.`}
      >
        {category.name}?
      </span>
    );
  }
  return <span className="truncate text-slate-500">{category.name}</span>;
}
