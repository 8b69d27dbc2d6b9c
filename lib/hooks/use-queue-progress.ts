import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/fetcher.ts";
import type { TProgress } from "@/lib/queue/types.ts";

export const QUEUE_PROGRESS_KEY = ["queue", "progress"] as const;

/** GET /api/queue/progress */
export function useQueueProgress() {
  return useQuery({
    queryKey: QUEUE_PROGRESS_KEY,
    queryFn: () => apiFetch<TProgress>("/api/queue/progress"),
    refetchInterval: 30_000,
  });
}
