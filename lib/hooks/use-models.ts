import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TStoredEvaluation } from "@/lib/evaluation/types.ts";
import type { TCalibrateThresholdResult } from "@/server/evaluation/calibrate-threshold.ts";
import type { TPromotionCheck } from "@/server/evaluation/compare-with-active.ts";
import type { TThresholdTradeoff } from "@/server/evaluation/get-threshold-tradeoff.ts";
import type { TRegisteredModel } from "@/server/model/register-model-dir.ts";
import type { TModelRegistry } from "@/server/registry/list-model-versions.ts";
import type { TPromoteModelVersionResult } from "@/server/registry/promote-model-version.ts";
import type { TTrainingRun } from "@/server/registry/training-run.ts";

const KEY = ["models"] as const;

/** GET /api/models – polls every 2 s while a training run is unfinished, so its status moves on screen. */
export function useModelRegistry() {
  return useQuery({
    queryKey: [...KEY, "registry"],
    queryFn: () => apiFetch<TModelRegistry>("/api/models"),
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === "queued" || r.status === "training" || r.status === "evaluating") ? 2000 : false),
  });
}

/** GET /api/models/threshold */
export function useThresholdTradeoff(target: { metric: "precision" | "recall"; atLeast: number } | null, isEnabled: boolean) {
  const qs = target ? `?metric=${target.metric}&atLeast=${target.atLeast}` : "";
  return useQuery({
    queryKey: [...KEY, "threshold", target],
    queryFn: () => apiFetch<TThresholdTradeoff>(`/api/models/threshold${qs}`),
    enabled: isEnabled,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/models/:id/promotion-check */
export function usePromotionCheck(modelVersionId: number | null) {
  return useQuery({
    queryKey: [...KEY, "promotion-check", modelVersionId],
    queryFn: () => apiFetch<TPromotionCheck>(`/api/models/${modelVersionId}/promotion-check`),
    enabled: modelVersionId !== null,
  });
}

function useModelMutation<TVars, TResult>(request: (vars: TVars) => Promise<TResult>) {
  const qc = useQueryClient();
  return useMutation<TResult, ApiError, TVars>({ mutationFn: request, onSettled: () => qc.invalidateQueries({ queryKey: KEY }) });
}

/** POST /api/models/train */
export const useTrainModel = () => useModelMutation<void, { run: TTrainingRun; isAlreadyRunning: boolean }>(() => apiFetch("/api/models/train", { method: "POST" }));

/** POST /api/models/:id/promote */
export const usePromoteModel = () =>
  useModelMutation<{ id: number; isConfirmed: boolean }, TPromoteModelVersionResult>(({ id, isConfirmed }) => apiFetch(`/api/models/${id}/promote`, { method: "POST", json: { isConfirmed } }));

/** POST /api/models/:id/shadow */
export const useShadowModel = () =>
  useModelMutation<{ id: number; isShadow: boolean }, { modelVersionId: number; status: string }>(({ id, isShadow }) => apiFetch(`/api/models/${id}/shadow`, { method: "POST", json: { isShadow } }));

/** POST /api/models/rollback */
export const useRollbackModel = () => useModelMutation<void, TPromoteModelVersionResult>(() => apiFetch("/api/models/rollback", { method: "POST" }));

/** POST /api/models/:id/evaluate */
export const useEvaluateModel = () => useModelMutation<number, TStoredEvaluation>((id) => apiFetch(`/api/models/${id}/evaluate`, { method: "POST" }));

/** POST /api/models/threshold */
export const useApplyThreshold = () =>
  useModelMutation<{ metric: "precision" | "recall"; atLeast: number }, TCalibrateThresholdResult>((target) => apiFetch("/api/models/threshold", { method: "POST", json: target }));

/** POST /api/models/upload (multipart) */
export const useUploadModel = () =>
  useModelMutation<File[], TRegisteredModel & { goldN: number }>((files) => {
    const form = new FormData();
    for (const f of files) form.append("files", f);
    return apiFetch("/api/models/upload", { method: "POST", body: form });
  });
