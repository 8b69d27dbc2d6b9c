import { useMutation } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TQueueCard } from "@/lib/queue/types.ts";

/** GET /api/queue/claim — a mutation, not a query: every call leases new items to this moderator. */
export function useClaimCards() {
  return useMutation<{ cards: TQueueCard[] }, ApiError, { limit?: number }>({
    mutationFn: ({ limit }) => apiFetch(`/api/queue/claim${limit ? `?limit=${limit}` : ""}`, { cache: "no-store" }),
    retry: 2,
  });
}
