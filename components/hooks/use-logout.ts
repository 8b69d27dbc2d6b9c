import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";

/** POST /api/auth/logout */
export function useLogout() {
  const client = useQueryClient();
  return useMutation<{ ok: true }, ApiError, void>({
    mutationFn: () => apiFetch("/api/auth/logout", { method: "POST" }),
    onSettled: () => client.clear(),
  });
}
