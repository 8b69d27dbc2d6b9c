import { useMutation } from "@tanstack/react-query";
import { apiFetch, type ApiError, isRetryable } from "@/lib/fetcher.ts";
import { IDEMPOTENCY_HEADER } from "@/lib/http/idempotency-key.ts";
import type { TQueueCard } from "@/lib/queue/types.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

export type TUndoResult = { reversedDecisionId: string | null; card: TQueueCard | null };

/** POST /api/w/:workspace/queue/undo — one Idempotency-Key per U keypress, kept by the retries: one keypress undoes one decision. */
export function useUndoDecision() {
  const ws = useWorkspaceApi();
  return useMutation<TUndoResult, ApiError, { idempotencyKey: string }>({
    mutationFn: ({ idempotencyKey }) => apiFetch<TUndoResult>(ws.api("queue/undo"), { method: "POST", headers: { [IDEMPOTENCY_HEADER]: idempotencyKey } }),
    retry: (count, err) => count < 5 && isRetryable(err),
    retryDelay: (attempt) => Math.min(250 * 2 ** attempt, 4000),
  });
}
