import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TAdjudicationItem } from "@/lib/adjudication/types.ts";
import { apiFetch, type ApiError, isRetryable } from "@/lib/fetcher.ts";
import { IDEMPOTENCY_HEADER, newIdempotencyKey } from "@/lib/http/idempotency-key.ts";
import type { TDecisionResult } from "@/lib/queue/types.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

export const ADJUDICATIONS_KEY = ["adjudication"] as const;

/** GET /api/w/:workspace/adjudication — overlap items whose moderators disagree. */
export function useAdjudications() {
  const ws = useWorkspaceApi();
  return useQuery<TAdjudicationItem[], ApiError>({
    queryKey: [...ws.key, ...ADJUDICATIONS_KEY],
    queryFn: async () => (await apiFetch<{ items: TAdjudicationItem[] }>(ws.api("adjudication"))).items,
  });
}

/**
 * POST /api/w/:workspace/adjudication — the final label; the list reloads afterwards. One Idempotency-Key per
 * click, kept by the retries, so a retry whose first attempt committed gets its answer instead of a CONFLICT.
 */
export function useSubmitAdjudication() {
  const ws = useWorkspaceApi();
  const client = useQueryClient();
  const mutation = useMutation<TDecisionResult, ApiError, { excerptId: string; categoryId: number; idempotencyKey: string }>({
    mutationFn: ({ idempotencyKey, ...input }) =>
      apiFetch<TDecisionResult>(ws.api("adjudication"), { method: "POST", json: input, headers: { [IDEMPOTENCY_HEADER]: idempotencyKey } }),
    retry: (count, err) => count < 3 && isRetryable(err),
    onSettled: () => client.invalidateQueries({ queryKey: [...ws.key, ...ADJUDICATIONS_KEY] }),
  });
  return { ...mutation, mutate: (input: { excerptId: string; categoryId: number }) => mutation.mutate({ ...input, idempotencyKey: newIdempotencyKey() }) };
}
