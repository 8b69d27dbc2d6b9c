import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TWorkspaceSettings } from "@/lib/workspace/contract.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

/** PUT /api/w/:workspace/admin/settings */
export function useUpdateWorkspaceSettings() {
  const ws = useWorkspaceApi();
  const client = useQueryClient();
  return useMutation<TWorkspaceSettings & { isRequeued: boolean }, ApiError, TWorkspaceSettings>({
    mutationFn: (settings) => apiFetch(ws.api("admin/settings"), { method: "PUT", json: settings }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...ws.key, "admin", "settings"] }),
  });
}
