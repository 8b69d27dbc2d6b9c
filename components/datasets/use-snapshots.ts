import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TSnapshotDetail, TSnapshotSummary } from "@/lib/export/api-types.ts";
import type { TSnapshotDiff } from "@/lib/export/diff.ts";
import type { TSnapshotParamsInput } from "@/lib/export/params.ts";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

export const SNAPSHOTS_KEY = ["datasets", "snapshots"] as const;

const isBusy = (s: TSnapshotSummary) => s.status === "queued" || s.status === "running";

/** GET /api/w/:workspace/datasets/snapshots – polls every second while a snapshot is being built. */
export function useSnapshots(initialData?: TSnapshotSummary[]) {
  const ws = useWorkspaceApi();
  return useQuery({
    queryKey: [...ws.key, ...SNAPSHOTS_KEY],
    queryFn: async () => (await apiFetch<{ snapshots: TSnapshotSummary[] }>(ws.api("datasets/snapshots"))).snapshots,
    initialData,
    refetchInterval: (query) => (query.state.data?.some(isBusy) ? 1_000 : false),
  });
}

/** GET /api/w/:workspace/datasets/snapshots/[id] */
export function useSnapshot(id: number | null) {
  const ws = useWorkspaceApi();
  return useQuery({
    queryKey: [...ws.key, ...SNAPSHOTS_KEY, id],
    queryFn: async () => (await apiFetch<{ snapshot: TSnapshotDetail }>(ws.api(`datasets/snapshots/${id}`))).snapshot,
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data && isBusy(query.state.data) ? 1_000 : false),
  });
}

/** POST /api/w/:workspace/datasets/snapshots */
export function useCreateSnapshot() {
  const ws = useWorkspaceApi();
  const client = useQueryClient();
  return useMutation<{ snapshot: TSnapshotSummary }, ApiError, TSnapshotParamsInput>({
    mutationFn: (params) => apiFetch(ws.api("datasets/snapshots"), { method: "POST", json: { params }, isIdempotent: true }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...ws.key, ...SNAPSHOTS_KEY] }),
  });
}

/** GET /api/w/:workspace/datasets/diff */
export function useSnapshotDiff(pair: { before: number; after: number } | null) {
  const ws = useWorkspaceApi();
  return useQuery({
    queryKey: [...ws.key, "datasets", "diff", pair?.before, pair?.after],
    queryFn: async () => (await apiFetch<{ diff: TSnapshotDiff }>(ws.api(`datasets/diff?before=${pair!.before}&after=${pair!.after}`))).diff,
    enabled: pair !== null,
  });
}
