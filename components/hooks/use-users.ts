import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/fetcher.ts";
import type { TUserRow } from "@/lib/users/contract.ts";

export const USERS_KEY = ["admin", "users"] as const;

/** GET /api/admin/users */
export function useUsers(initialData?: TUserRow[]) {
  return useQuery({
    queryKey: USERS_KEY,
    queryFn: async () => (await apiFetch<{ users: TUserRow[] }>("/api/admin/users")).users,
    initialData,
  });
}
