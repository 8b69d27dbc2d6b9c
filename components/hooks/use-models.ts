import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TStoredEvaluation } from "@/lib/evaluation/types.ts";
import type { TCalibrateThresholdResult, TPromotionCheck, TThresholdTradeoff } from "@/lib/evaluation/contract.ts";
import type { TModelRegistry, TPromoteModelVersionResult, TRegisteredModel, TTrainingRun } from "@/lib/registry/contract.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

const KEY = ["models"] as const;

/** GET /api/w/:workspace/models – polls every 2 s while a training run is unfinished, so its status moves on screen. */
export function useModelRegistry() {
  const ws = useWorkspaceApi();
  return useQuery({
    queryKey: [...ws.key, ...KEY, "registry"],
    queryFn: () => apiFetch<TModelRegistry>(ws.api("models")),
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === "queued" || r.status === "training" || r.status === "evaluating") ? 2000 : false),
  });
}

/** GET /api/w/:workspace/models/threshold */
export function useThresholdTradeoff(target: { metric: "precision" | "recall"; atLeast: number } | null, isEnabled: boolean) {
  const ws = useWorkspaceApi();
  const qs = target ? `?metric=${target.metric}&atLeast=${target.atLeast}` : "";
  return useQuery({
    queryKey: [...ws.key, ...KEY, "threshold", target],
    queryFn: () => apiFetch<TThresholdTradeoff>(ws.api(`models/threshold${qs}`)),
    enabled: isEnabled,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/w/:workspace/models/:id/promotion-check */
export function usePromotionCheck(modelVersionId: number | null) {
  const ws = useWorkspaceApi();
  return useQuery({
    queryKey: [...ws.key, ...KEY, "promotion-check", modelVersionId],
    queryFn: () => apiFetch<TPromotionCheck>(ws.api(`models/${modelVersionId}/promotion-check`)),
    enabled: modelVersionId !== null,
  });
}

function useModelMutation<TVars, TResult>(request: (vars: TVars, api: (rest: string) => string) => Promise<TResult>) {
  const ws = useWorkspaceApi();
  const qc = useQueryClient();
  return useMutation<TResult, ApiError, TVars>({
    mutationFn: (vars) => request(vars, ws.api),
    onSettled: () => qc.invalidateQueries({ queryKey: [...ws.key, ...KEY] }),
  });
}

/** POST /api/w/:workspace/models/train */
export const useTrainModel = () =>
  useModelMutation<void, { run: TTrainingRun; isAlreadyRunning: boolean }>((_vars, api) => apiFetch(api("models/train"), { method: "POST" }));

/**
 * POST /api/w/:workspace/models/:id/promote — expectedActiveId is the active version the page showed: if
 * someone else promoted meanwhile, the server answers 409 instead of replacing their choice unseen.
 */
export const usePromoteModel = () =>
  useModelMutation<{ id: number; isConfirmed: boolean; expectedActiveId: number | null }, TPromoteModelVersionResult>(
    ({ id, isConfirmed, expectedActiveId }, api) =>
      apiFetch(api(`models/${id}/promote`), { method: "POST", json: { isConfirmed, expectedActiveId }, isIdempotent: true }),
  );

/** POST /api/w/:workspace/models/:id/shadow */
export const useShadowModel = () =>
  useModelMutation<{ id: number; isShadow: boolean }, { modelVersionId: number; status: string }>(({ id, isShadow }, api) =>
    apiFetch(api(`models/${id}/shadow`), { method: "POST", json: { isShadow } }),
  );

/** POST /api/w/:workspace/models/rollback (expectedActiveId as for promotion) */
export const useRollbackModel = () =>
  useModelMutation<{ expectedActiveId: number | null }, TPromoteModelVersionResult>(({ expectedActiveId }, api) =>
    apiFetch(api("models/rollback"), { method: "POST", json: { expectedActiveId }, isIdempotent: true }),
  );

/** POST /api/w/:workspace/models/:id/evaluate */
export const useEvaluateModel = () => useModelMutation<number, TStoredEvaluation>((id, api) => apiFetch(api(`models/${id}/evaluate`), { method: "POST" }));

/** POST /api/w/:workspace/models/threshold */
export const useApplyThreshold = () =>
  useModelMutation<{ metric: "precision" | "recall"; atLeast: number }, TCalibrateThresholdResult>((target, api) =>
    apiFetch(api("models/threshold"), { method: "POST", json: target }),
  );

/** POST /api/w/:workspace/models/upload (multipart) */
export const useUploadModel = () =>
  useModelMutation<File[], TRegisteredModel & { goldN: number }>((files, api) => {
    const form = new FormData();
    for (const f of files) form.append("files", f);
    return apiFetch(api("models/upload"), { method: "POST", body: form, isIdempotent: true });
  });
