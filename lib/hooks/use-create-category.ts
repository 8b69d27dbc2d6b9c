import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TCategory, TCreateCategory } from "@/server/taxonomy/schemas.ts";
import { CATEGORIES_KEY } from "./use-categories.ts";

/** POST /api/admin/categories */
export function useCreateCategory() {
  const client = useQueryClient();
  return useMutation<{ category: TCategory }, ApiError, Partial<TCreateCategory> & { name: string }>({
    mutationFn: (input) => apiFetch("/api/admin/categories", { method: "POST", json: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: CATEGORIES_KEY }),
  });
}
