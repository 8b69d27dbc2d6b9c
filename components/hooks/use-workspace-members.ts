import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TWorkspaceMember } from "@/lib/workspace/contract.ts";

type TRole = TWorkspaceMember["role"];

/** GET /api/w/<slug>/members */
export function useWorkspaceMembers(initial: TWorkspaceMember[]) {
  const { api, key } = useWorkspaceApi();
  return useQuery<TWorkspaceMember[], ApiError>({
    queryKey: [...key, "members"],
    queryFn: async () => (await apiFetch<{ members: TWorkspaceMember[] }>(api("members"))).members,
    initialData: initial,
  });
}

/** PUT /api/w/<slug>/members (add by email) or PUT /api/w/<slug>/members/<userId> (change the role) */
export function useSetWorkspaceMember() {
  const { api, key } = useWorkspaceApi();
  const queryClient = useQueryClient();
  return useMutation<{ member: TWorkspaceMember }, ApiError, { userId?: number; email?: string; role: TRole }>({
    mutationFn: ({ userId, email, role }) =>
      userId !== undefined
        ? apiFetch(api(`members/${userId}`), { method: "PUT", json: { role }, isIdempotent: true })
        : apiFetch(api("members"), { method: "PUT", json: { email, role }, isIdempotent: true }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...key, "members"] }),
  });
}

/** DELETE /api/w/<slug>/members/<userId> */
export function useRemoveWorkspaceMember() {
  const { api, key } = useWorkspaceApi();
  const queryClient = useQueryClient();
  return useMutation<{ isRemoved: boolean }, ApiError, { userId: number }>({
    mutationFn: ({ userId }) => apiFetch(api(`members/${userId}`), { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...key, "members"] }),
  });
}
