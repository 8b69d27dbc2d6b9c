import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TCategory, TCreateCategory } from "@/lib/taxonomy/contract.ts";
import { CATEGORIES_KEY } from "./use-categories.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

/** POST /api/w/:workspace/admin/categories */
export function useCreateCategory() {
  const ws = useWorkspaceApi();
  const client = useQueryClient();
  return useMutation<{ category: TCategory }, ApiError, Partial<TCreateCategory> & { name: string }>({
    mutationFn: (input) => apiFetch(ws.api("admin/categories"), { method: "POST", json: input, isIdempotent: true }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...ws.key, ...CATEGORIES_KEY] }),
  });
}
