import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/fetcher.ts";
import type { TProgressCount } from "@/lib/queue/progress-delta.ts";
import type { TProgress } from "@/lib/queue/types.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

export const QUEUE_PROGRESS_KEY = ["queue", "progress"] as const;

/**
 * GET /api/w/:workspace/queue/progress. Each request waits for `settledLocalDelta` (the review queue's
 * local delta once its decisions and undos in flight are answered) and returns it with the counts, so
 * the queue can tell which of its own changes they include (lib/queue/progress-delta.ts).
 */
export function useQueueProgress(settledLocalDelta: () => Promise<number>) {
  const ws = useWorkspaceApi();
  return useQuery({
    queryKey: [...ws.key, ...QUEUE_PROGRESS_KEY],
    queryFn: async (): Promise<TProgressCount> => {
      const localDeltaAtRequest = await settledLocalDelta();
      return { ...(await apiFetch<TProgress>(ws.api("queue/progress"))), localDeltaAtRequest };
    },
    refetchInterval: 30_000,
  });
}
