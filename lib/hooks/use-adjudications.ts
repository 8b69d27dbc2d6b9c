import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TAdjudicationItem } from "@/lib/adjudication/types.ts";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TDecisionResult } from "@/lib/queue/types.ts";

export const ADJUDICATIONS_KEY = ["adjudication"] as const;

/** GET /api/adjudication — overlap items whose moderators disagree. */
export function useAdjudications() {
  return useQuery<TAdjudicationItem[], ApiError>({
    queryKey: ADJUDICATIONS_KEY,
    queryFn: async () => (await apiFetch<{ items: TAdjudicationItem[] }>("/api/adjudication")).items,
  });
}

/** POST /api/adjudication — the final label; the list reloads afterwards. */
export function useSubmitAdjudication() {
  const client = useQueryClient();
  return useMutation<TDecisionResult, ApiError, { excerptId: string; categoryId: number }>({
    mutationFn: (input) => apiFetch<TDecisionResult>("/api/adjudication", { method: "POST", json: input }),
    onSettled: () => client.invalidateQueries({ queryKey: ADJUDICATIONS_KEY }),
  });
}
