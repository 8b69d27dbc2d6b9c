import { useMutation } from "@tanstack/react-query";
import { type ApiError, apiFetch, isRetryable } from "@/lib/fetcher.ts";
import { IDEMPOTENCY_HEADER } from "@/lib/http/idempotency-key.ts";
import type { TDecisionResult } from "@/lib/queue/types.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

export type TDecisionInput = {
  excerptId: string;
  kind: "label" | "skip";
  categoryId?: number;
  durationMs?: number;
  note?: string;
  /** one per keypress (newIdempotencyKey), kept by every retry: the server stores the decision once */
  idempotencyKey: string;
};

/** POST /api/w/:workspace/queue/decisions — retried with backoff, because a moderator's decision must never be lost. */
export function useSubmitDecision() {
  const ws = useWorkspaceApi();
  return useMutation<TDecisionResult, ApiError, TDecisionInput>({
    mutationFn: ({ idempotencyKey, ...input }) =>
      apiFetch<TDecisionResult>(ws.api("queue/decisions"), {
        method: "POST",
        json: { ...input, origin: "queue" },
        headers: { [IDEMPOTENCY_HEADER]: idempotencyKey },
      }),
    retry: (count, err) => count < 5 && isRetryable(err),
    retryDelay: (attempt) => Math.min(250 * 2 ** attempt, 4000),
  });
}
