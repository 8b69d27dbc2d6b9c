import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TAdjudicationItem } from "@/lib/adjudication/types.ts";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import { IDEMPOTENCY_HEADER, newIdempotencyKey } from "@/lib/http/idempotency-key.ts";
import type { TDecisionResult } from "@/lib/queue/types.ts";
import { isRetryable } from "./use-submit-decision.ts";

export const ADJUDICATIONS_KEY = ["adjudication"] as const;

/** GET /api/adjudication — overlap items whose moderators disagree. */
export function useAdjudications() {
  return useQuery<TAdjudicationItem[], ApiError>({
    queryKey: ADJUDICATIONS_KEY,
    queryFn: async () => (await apiFetch<{ items: TAdjudicationItem[] }>("/api/adjudication")).items,
  });
}

/**
 * POST /api/adjudication — the final label; the list reloads afterwards. One Idempotency-Key per click,
 * kept by the retries, so a retry whose first attempt committed gets its answer instead of a CONFLICT.
 */
export function useSubmitAdjudication() {
  const client = useQueryClient();
  const mutation = useMutation<TDecisionResult, ApiError, { excerptId: string; categoryId: number; idempotencyKey: string }>({
    mutationFn: ({ idempotencyKey, ...input }) =>
      apiFetch<TDecisionResult>("/api/adjudication", { method: "POST", json: input, headers: { [IDEMPOTENCY_HEADER]: idempotencyKey } }),
    retry: (count, err) => count < 3 && isRetryable(err),
    onSettled: () => client.invalidateQueries({ queryKey: ADJUDICATIONS_KEY }),
  });
  return { ...mutation, mutate: (input: { excerptId: string; categoryId: number }) => mutation.mutate({ ...input, idempotencyKey: newIdempotencyKey() }) };
}
