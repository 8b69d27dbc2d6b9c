import { useMutation } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";

type TLoginResponse = { user: { id: number; email: string; name: string; role: string }; redirectTo: string };

/** POST /api/auth/login */
export function useLogin() {
  return useMutation<TLoginResponse, ApiError, { email: string; password: string }>({
    mutationFn: (input) => apiFetch<TLoginResponse>("/api/auth/login", { method: "POST", json: input }),
  });
}
