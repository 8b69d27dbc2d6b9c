import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TRereviewItem } from "@/lib/label-errors/types.ts";
import { apiFetch, type ApiError, isRetryable } from "@/lib/fetcher.ts";
import { IDEMPOTENCY_HEADER, newIdempotencyKey } from "@/lib/http/idempotency-key.ts";
import type { TDecisionResult } from "@/lib/queue/types.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

export const REREVIEW_KEY = ["rereview"] as const;

/**
 * POST /api/w/:workspace/rereview/claim — leases the next suspects to this senior (their own live leases come back
 * first, so a reload or a refetch shows the same items rather than taking more).
 */
export function useRereviewItems() {
  const ws = useWorkspaceApi();
  return useQuery<TRereviewItem[], ApiError>({
    queryKey: [...ws.key, ...REREVIEW_KEY],
    queryFn: async () => (await apiFetch<{ items: TRereviewItem[] }>(ws.api("rereview/claim?limit=5"), { method: "POST" })).items,
    refetchOnWindowFocus: false,
  });
}

export type TRereviewResult = TDecisionResult & { isCorrected: boolean; categoryId: number | null };

/**
 * POST /api/w/:workspace/rereview/decisions — keep or change the label; the items reload afterwards. One
 * Idempotency-Key per keypress, kept by the retries, so a retry whose first attempt committed stores nothing more.
 */
export function useSubmitRereview() {
  const ws = useWorkspaceApi();
  const client = useQueryClient();
  const mutation = useMutation<TRereviewResult, ApiError, { suspectId: string; categoryId: number; idempotencyKey: string }>({
    mutationFn: ({ idempotencyKey, ...input }) =>
      apiFetch<TRereviewResult>(ws.api("rereview/decisions"), { method: "POST", json: input, headers: { [IDEMPOTENCY_HEADER]: idempotencyKey } }),
    retry: (count, err) => count < 3 && isRetryable(err),
    onSettled: () => client.invalidateQueries({ queryKey: [...ws.key, ...REREVIEW_KEY] }),
  });
  return { ...mutation, mutate: (input: { suspectId: string; categoryId: number }) => mutation.mutate({ ...input, idempotencyKey: newIdempotencyKey() }) };
}
