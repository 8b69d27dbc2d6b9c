import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TCreateWorkspace, TWorkspaceSummary } from "@/lib/workspace/contract.ts";

/** POST /api/workspaces (instance admins) */
export function useCreateWorkspace() {
  const queryClient = useQueryClient();
  return useMutation<{ workspace: TWorkspaceSummary }, ApiError, TCreateWorkspace>({
    mutationFn: (input) => apiFetch("/api/workspaces", { method: "POST", json: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["workspaces"] }),
  });
}
