import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/fetcher.ts";
import type { TCategory } from "@/server/taxonomy/schemas.ts";

export const CATEGORIES_KEY = ["categories"] as const;

/** GET /api/categories — seeded from the server render where the page already has them. */
export function useCategories(initialData?: TCategory[]) {
  return useQuery({
    queryKey: CATEGORIES_KEY,
    queryFn: async () => (await apiFetch<{ categories: TCategory[] }>("/api/categories")).categories,
    initialData,
  });
}
