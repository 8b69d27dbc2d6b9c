import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type {
  TApiKeySummary,
  TCreateApiKeyInput,
  TRoutingSettings,
  TServingSettings,
  TWebhookDelivery,
  TWebhookInput,
  TWebhookSummary,
} from "@/lib/serving/contract.ts";

/** GET /api/w/<slug>/admin/api-keys */
export function useApiKeys() {
  const { api, key } = useWorkspaceApi();
  return useQuery<TApiKeySummary[], ApiError>({
    queryKey: [...key, "admin", "api-keys"],
    queryFn: async () => (await apiFetch<{ keys: TApiKeySummary[] }>(api("admin/api-keys"))).keys,
  });
}

/** POST /api/w/<slug>/admin/api-keys – the answer holds the key, once. */
export function useCreateApiKey() {
  const { api, key } = useWorkspaceApi();
  const client = useQueryClient();
  return useMutation<{ key: TApiKeySummary & { key: string } }, ApiError, TCreateApiKeyInput>({
    mutationFn: (input) => apiFetch(api("admin/api-keys"), { method: "POST", json: input, isIdempotent: true }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, "admin", "api-keys"] }),
  });
}

/** DELETE /api/w/<slug>/admin/api-keys/<id> */
export function useRevokeApiKey() {
  const { api, key } = useWorkspaceApi();
  const client = useQueryClient();
  return useMutation<{ key: TApiKeySummary }, ApiError, { id: number }>({
    mutationFn: ({ id }) => apiFetch(api(`admin/api-keys/${id}`), { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, "admin", "api-keys"] }),
  });
}

/** GET /api/w/<slug>/admin/webhooks */
export function useWebhooks() {
  const { api, key } = useWorkspaceApi();
  return useQuery<TWebhookSummary[], ApiError>({
    queryKey: [...key, "admin", "webhooks"],
    queryFn: async () => (await apiFetch<{ webhooks: TWebhookSummary[] }>(api("admin/webhooks"))).webhooks,
  });
}

/** POST /api/w/<slug>/admin/webhooks – the answer holds the signing secret, once. */
export function useCreateWebhook() {
  const { api, key } = useWorkspaceApi();
  const client = useQueryClient();
  return useMutation<{ webhook: TWebhookSummary & { secret: string } }, ApiError, TWebhookInput>({
    mutationFn: (input) => apiFetch(api("admin/webhooks"), { method: "POST", json: input, isIdempotent: true }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, "admin", "webhooks"] }),
  });
}

/** PATCH /api/w/<slug>/admin/webhooks/<id> (active flag, rotateSecret, …) or DELETE it */
export function useChangeWebhook() {
  const { api, key } = useWorkspaceApi();
  const client = useQueryClient();
  return useMutation<{ webhook?: TWebhookSummary }, ApiError, { id: number; patch?: { isActive?: boolean; rotateSecret?: boolean }; isDelete?: boolean }>({
    mutationFn: ({ id, patch, isDelete }) =>
      isDelete
        ? apiFetch(api(`admin/webhooks/${id}`), { method: "DELETE" })
        : apiFetch(api(`admin/webhooks/${id}`), { method: "PATCH", json: patch, isIdempotent: true }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, "admin", "webhooks"] }),
  });
}

/** GET /api/w/<slug>/admin/webhook-deliveries (newest first; refreshed while the page is open) */
export function useWebhookDeliveries() {
  const { api, key } = useWorkspaceApi();
  return useQuery<{ deliveries: TWebhookDelivery[]; next: string | null }, ApiError>({
    queryKey: [...key, "admin", "webhook-deliveries"],
    queryFn: () => apiFetch(api("admin/webhook-deliveries?limit=100")),
    refetchInterval: 10_000,
  });
}

/** POST /api/w/<slug>/admin/webhook-deliveries/<id>/redeliver */
export function useRedeliver() {
  const { api, key } = useWorkspaceApi();
  const client = useQueryClient();
  return useMutation<{ deliveryId: string }, ApiError, { deliveryId: string }>({
    mutationFn: ({ deliveryId }) => apiFetch(api(`admin/webhook-deliveries/${deliveryId}/redeliver`), { method: "POST", isIdempotent: true }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, "admin", "webhook-deliveries"] }),
  });
}

/** GET /api/w/<slug>/admin/serving */
export function useServingSettings() {
  const { api, key } = useWorkspaceApi();
  return useQuery<TServingSettings, ApiError>({ queryKey: [...key, "admin", "serving"], queryFn: () => apiFetch(api("admin/serving")) });
}

/** PUT /api/w/<slug>/admin/serving (routing) or PUT …/admin/serving/categories/<id> (attribute) */
export function useUpdateServing() {
  const { api, key } = useWorkspaceApi();
  const client = useQueryClient();
  return useMutation<TServingSettings, ApiError, { routing: TRoutingSettings } | { categoryId: number; attribute: string | null }>({
    mutationFn: (input) =>
      "routing" in input
        ? apiFetch(api("admin/serving"), { method: "PUT", json: input.routing })
        : apiFetch(api(`admin/serving/categories/${input.categoryId}`), { method: "PUT", json: { attribute: input.attribute } }),
    onSuccess: (data) => client.setQueryData([...key, "admin", "serving"], data),
  });
}
