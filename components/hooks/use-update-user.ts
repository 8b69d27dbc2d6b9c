import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import { useWorkspace } from "./workspace-context.tsx";
import type { TUpdateUser } from "@/lib/users/contract.ts";
import { USERS_KEY } from "./use-users.ts";

/** PATCH /api/admin/users/:id (a role change is the role in the current workspace) */
export function useUpdateUser() {
  const { slug } = useWorkspace();
  const client = useQueryClient();
  return useMutation<{ id: number }, ApiError, { id: number; changes: TUpdateUser }>({
    mutationFn: ({ id, changes }) => apiFetch(`/api/admin/users/${id}`, { method: "PATCH", json: { ...changes, workspace: slug } }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
}
