import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TCategory, TUpdateCategory } from "@/lib/taxonomy/contract.ts";
import { CATEGORIES_KEY } from "./use-categories.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

/** PATCH /api/w/:workspace/admin/categories/:id */
export function useUpdateCategory() {
  const ws = useWorkspaceApi();
  const client = useQueryClient();
  return useMutation<{ category: TCategory }, ApiError, { id: number; changes: TUpdateCategory }>({
    mutationFn: ({ id, changes }) => apiFetch(ws.api(`admin/categories/${id}`), { method: "PATCH", json: changes }),
    onSettled: () => client.invalidateQueries({ queryKey: [...ws.key, ...CATEGORIES_KEY] }),
  });
}
