import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/fetcher.ts";
import type { TProgress } from "@/lib/queue/types.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

export const QUEUE_PROGRESS_KEY = ["queue", "progress"] as const;

/** GET /api/w/:workspace/queue/progress */
export function useQueueProgress() {
  const ws = useWorkspaceApi();
  return useQuery({
    queryKey: [...ws.key, ...QUEUE_PROGRESS_KEY],
    queryFn: () => apiFetch<TProgress>(ws.api("queue/progress")),
    refetchInterval: 30_000,
  });
}
