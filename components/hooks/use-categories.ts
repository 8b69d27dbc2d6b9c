import { useQuery } from "@tanstack/react-query";
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
