import { useMutation } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TQueueCard } from "@/lib/queue/types.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

/** POST /api/w/:workspace/queue/claim — a mutation, not a query: every call leases new items to this moderator. */
export function useClaimCards() {
  const ws = useWorkspaceApi();
  return useMutation<{ cards: TQueueCard[] }, ApiError, { limit?: number }>({
    mutationFn: ({ limit }) => apiFetch(ws.api(`queue/claim${limit ? `?limit=${limit}` : ""}`), { method: "POST", cache: "no-store" }),
    retry: 2,
  });
}
