import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import { useWorkspaceApi } from "./workspace-context.tsx";
import type { TCreateUser, TUserRow } from "@/lib/users/contract.ts";
import { USERS_KEY } from "./use-users.ts";

/** POST /api/admin/users (instance-level; the new user joins the current workspace with the chosen role) */
export function useCreateUser() {
  const { slug, key } = useWorkspaceApi();
  const client = useQueryClient();
  return useMutation<{ user: TUserRow }, ApiError, TCreateUser>({
    mutationFn: (input) => apiFetch("/api/admin/users", { method: "POST", json: { ...input, workspace: slug }, isIdempotent: true }),
    onSuccess: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: USERS_KEY }), client.invalidateQueries({ queryKey: [...key, "members"] })]);
    },
  });
}
