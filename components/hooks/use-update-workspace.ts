import { useMutation } from "@tanstack/react-query";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TUpdateWorkspace } from "@/lib/workspace/contract.ts";

/** PATCH /api/w/<slug> – rename, archive, restore (admins) */
export function useUpdateWorkspace() {
  const { api } = useWorkspaceApi();
  return useMutation<{ workspace: { slug: string; name: string; archivedAt: string | null } }, ApiError, TUpdateWorkspace>({
    // api("") is /api/w/<slug>/ : the workspace itself
    mutationFn: (changes) => apiFetch(api("").replace(/\/$/, ""), { method: "PATCH", json: changes }),
  });
}
