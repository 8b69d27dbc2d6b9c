import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TSnapshotDetail, TSnapshotSummary } from "@/lib/export/api-types.ts";
import type { TSnapshotDiff } from "@/lib/export/diff.ts";
import type { TSnapshotParamsInput } from "@/lib/export/params.ts";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";

export const SNAPSHOTS_KEY = ["datasets", "snapshots"] as const;

const isBusy = (s: TSnapshotSummary) => s.status === "queued" || s.status === "running";

/** GET /api/datasets/snapshots – polls every second while a snapshot is being built. */
export function useSnapshots(initialData?: TSnapshotSummary[]) {
  return useQuery({
    queryKey: SNAPSHOTS_KEY,
    queryFn: async () => (await apiFetch<{ snapshots: TSnapshotSummary[] }>("/api/datasets/snapshots")).snapshots,
    initialData,
    refetchInterval: (query) => (query.state.data?.some(isBusy) ? 1_000 : false),
  });
}

/** GET /api/datasets/snapshots/[id] */
export function useSnapshot(id: number | null) {
  return useQuery({
    queryKey: [...SNAPSHOTS_KEY, id],
    queryFn: async () => (await apiFetch<{ snapshot: TSnapshotDetail }>(`/api/datasets/snapshots/${id}`)).snapshot,
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data && isBusy(query.state.data) ? 1_000 : false),
  });
}

/** POST /api/datasets/snapshots */
export function useCreateSnapshot() {
  const client = useQueryClient();
  return useMutation<{ snapshot: TSnapshotSummary }, ApiError, TSnapshotParamsInput>({
    mutationFn: (params) => apiFetch("/api/datasets/snapshots", { method: "POST", json: { params } }),
    onSuccess: () => client.invalidateQueries({ queryKey: SNAPSHOTS_KEY }),
  });
}

/** GET /api/datasets/diff */
export function useSnapshotDiff(pair: { before: number; after: number } | null) {
  return useQuery({
    queryKey: ["datasets", "diff", pair?.before, pair?.after],
    queryFn: async () =>
      (await apiFetch<{ diff: TSnapshotDiff }>(`/api/datasets/diff?before=${pair!.before}&after=${pair!.after}`)).diff,
    enabled: pair !== null,
  });
}
