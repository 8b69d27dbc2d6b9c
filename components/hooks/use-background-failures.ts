import { useQuery } from "@tanstack/react-query";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";
import { type ApiError, apiFetch } from "@/lib/fetcher.ts";
import type { TBackgroundFailure } from "@/lib/jobs/contract.ts";

/** GET /api/w/:workspace/jobs — re-read every minute, as often as the sweep retries scoring. */
export function useBackgroundFailures() {
  const ws = useWorkspaceApi();
  return useQuery<TBackgroundFailure[], ApiError>({
    queryKey: [...ws.key, "jobs"],
    queryFn: async () => (await apiFetch<{ failures: TBackgroundFailure[] }>(ws.api("jobs"))).failures,
    refetchInterval: 60_000,
  });
}
