import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import type { TExcerptFilters } from "@/lib/excerpts/url-filters.ts";
import { apiFetch } from "@/lib/fetcher.ts";
import type { TExcerptPage } from "@/lib/excerpts/contract.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

export type { TExcerptFilters };

/** GET /api/w/:workspace/excerpts/search — keyset pages chained by nextCursor. */
export function useExcerptSearch(filters: TExcerptFilters) {
  const ws = useWorkspaceApi();
  return useInfiniteQuery({
    queryKey: [...ws.key, "excerpts", "search", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
      if (pageParam) params.set("cursor", pageParam);
      return apiFetch<TExcerptPage>(ws.api(`excerpts/search?${params}`));
    },
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}
