import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TUpdateUser } from "@/lib/users/contract.ts";
import { USERS_KEY } from "./use-users.ts";

/** PATCH /api/admin/users/:id (the account, instance-wide; a role in one workspace is useSetWorkspaceMember's) */
export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation<{ id: number }, ApiError, { id: number; changes: TUpdateUser }>({
    mutationFn: ({ id, changes }) => apiFetch(`/api/admin/users/${id}`, { method: "PATCH", json: changes }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
}
