import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/fetcher.ts";
import type { TExcerptPage } from "@/server/excerpts/search-excerpts.ts";

export type TExcerptFilters = {
  q?: string;
  categoryId?: string;
  status?: "all" | "labelled" | "unlabelled";
  source?: "" | "text" | "voice";
  minScore?: string;
  maxScore?: string;
  from?: string;
  to?: string;
};

/** GET /api/excerpts/search — keyset pages chained by nextCursor. */
export function useExcerptSearch(filters: TExcerptFilters) {
  return useInfiniteQuery({
    queryKey: ["excerpts", "search", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
      if (pageParam) params.set("cursor", pageParam);
      return apiFetch<TExcerptPage>(`/api/excerpts/search?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}
