import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TUpdateUser } from "@/server/users/schemas.ts";
import { USERS_KEY } from "./use-users.ts";

/** PATCH /api/admin/users/:id */
export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation<{ id: number }, ApiError, { id: number; changes: TUpdateUser }>({
    mutationFn: ({ id, changes }) => apiFetch(`/api/admin/users/${id}`, { method: "PATCH", json: changes }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
}
