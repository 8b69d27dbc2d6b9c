import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TUserRow } from "@/server/users/list-users.ts";
import type { TCreateUser } from "@/server/users/schemas.ts";
import { USERS_KEY } from "./use-users.ts";

/** POST /api/admin/users */
export function useCreateUser() {
  const client = useQueryClient();
  return useMutation<{ user: TUserRow }, ApiError, TCreateUser>({
    mutationFn: (input) => apiFetch("/api/admin/users", { method: "POST", json: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
}
