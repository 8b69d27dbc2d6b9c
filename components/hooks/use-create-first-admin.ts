import { useMutation } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";

type TFirstAdminInput = { email: string; name: string; password: string };

/** POST /api/setup/admin – only while no account exists; signs the new admin in */
export function useCreateFirstAdmin() {
  return useMutation<{ user: { id: number; email: string; name: string } }, ApiError, TFirstAdminInput>({
    mutationFn: (input) => apiFetch("/api/setup/admin", { method: "POST", json: input }),
  });
}
