import { useMutation } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TQueueCard } from "@/lib/queue/types.ts";
import { isRetryable } from "./use-submit-decision.ts";

export type TUndoResult = { reversedDecisionId: string | null; card: TQueueCard | null };

/** POST /api/queue/undo */
export function useUndoDecision() {
  return useMutation<TUndoResult, ApiError, void>({
    mutationFn: () => apiFetch<TUndoResult>("/api/queue/undo", { method: "POST" }),
    retry: (count, err) => count < 5 && isRetryable(err),
    retryDelay: (attempt) => Math.min(250 * 2 ** attempt, 4000),
  });
}
