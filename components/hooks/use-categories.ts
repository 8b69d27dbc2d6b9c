import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { hotkeyMap } from "@/components/queue/keymap.ts";
import { apiFetch } from "@/lib/fetcher.ts";
import type { TCategory } from "@/lib/taxonomy/contract.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

export const CATEGORIES_KEY = ["categories"] as const;

/** GET /api/w/:workspace/categories — seeded from the server render where the page already has them. */
export function useCategories(initialData?: TCategory[]) {
  const ws = useWorkspaceApi();
  return useQuery({
    queryKey: [...ws.key, ...CATEGORIES_KEY],
    queryFn: async () => (await apiFetch<{ categories: TCategory[] }>(ws.api("categories"))).categories,
    initialData,
  });
}

/** What every labelling page (queue, adjudication, re-review) looks categories up by: id, hotkey, and the active ones in order. */
export function useCategoryIndex(categories: TCategory[]) {
  const categoryById = useMemo(() => new Map(categories.map((c) => [c.id, c])), [categories]);
  const hotkeys = useMemo(() => hotkeyMap(categories), [categories]);
  const activeCategories = useMemo(() => categories.filter((c) => c.isActive), [categories]);
  return { categoryById, hotkeys, activeCategories };
}
