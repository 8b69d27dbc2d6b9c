import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TWorkspaceSettings } from "@/server/workspace/schemas.ts";


/** PUT /api/admin/settings */
export function useUpdateWorkspaceSettings() {
  const client = useQueryClient();
  return useMutation<TWorkspaceSettings & { isRequeued: boolean }, ApiError, TWorkspaceSettings>({
    mutationFn: (settings) => apiFetch("/api/admin/settings", { method: "PUT", json: settings }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["admin", "settings"] }),
  });
}
