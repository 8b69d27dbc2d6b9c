import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/fetcher.ts";
import type { TAccuracyReport, TAgreementReport, TCellExcerpt, TModelMarker, TTeamReport } from "@/lib/dashboard/contract.ts";
import type { TCommunityBreakdown, TToxicityPoint } from "@/lib/dashboard/aggregate.ts";
import type { TCategoryInfo } from "@/lib/dashboard/aggregate.ts";
import type { TRereviewCorrections } from "@/lib/label-errors/types.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

/** The filter bar's state; empty strings mean "no filter". */
export type TDashboardFilterState = {
  from: string;
  to: string;
  game: string;
  channel: string;
  source: "" | "text" | "voice";
  categoryId: string;
  modelVersionId: string;
  granularity: "day" | "week";
  slice: "audit" | "all";
};

export function dashboardQueryString(f: TDashboardFilterState, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v) params.set(k, v);
  return params.toString();
}

const KEY = ["dashboard"] as const;

function useReport<T>(name: string, f: TDashboardFilterState) {
  const ws = useWorkspaceApi();
  return useQuery({
    queryKey: [...ws.key, ...KEY, name, f],
    queryFn: () => apiFetch<T>(ws.api(`dashboard/${name}?${dashboardQueryString(f)}`)),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/w/:workspace/dashboard/accuracy */
export const useDashboardAccuracy = (f: TDashboardFilterState) => useReport<TAccuracyReport>("accuracy", f);
/** GET /api/w/:workspace/dashboard/toxicity */
export const useDashboardToxicity = (f: TDashboardFilterState) =>
  useReport<{ threshold: number; modelVersionId: number | null; trends: TToxicityPoint[]; breakdown: TCommunityBreakdown[] }>("toxicity", f);
/** GET /api/w/:workspace/dashboard/team */
export const useDashboardTeam = (f: TDashboardFilterState) => useReport<TTeamReport>("team", f);
/** GET /api/w/:workspace/dashboard/corrections — labels re-review corrected, and whose */
export const useDashboardCorrections = (f: TDashboardFilterState) => useReport<TRereviewCorrections>("corrections", f);
/** GET /api/w/:workspace/dashboard/agreement */
export const useDashboardAgreement = (f: TDashboardFilterState) => useReport<TAgreementReport>("agreement", f);

/** GET /api/w/:workspace/dashboard/cell */
export function useDashboardCell(f: TDashboardFilterState, cell: { suggested: number; label: number } | null) {
  const ws = useWorkspaceApi();
  return useQuery({
    queryKey: [...ws.key, ...KEY, "cell", f, cell],
    enabled: cell !== null,
    queryFn: () =>
      apiFetch<TCellExcerpt[]>(
        ws.api(`dashboard/cell?${dashboardQueryString(f, { suggestedCategoryId: String(cell!.suggested), labelCategoryId: String(cell!.label) })}`),
      ),
  });
}

export type TDashboardOptions = {
  games: string[];
  channels: string[];
  categories: TCategoryInfo[];
  models: TModelMarker[];
  threshold: number;
  refreshedAt: string | null;
};

/** GET /api/w/:workspace/dashboard/options */
export function useDashboardOptions() {
  const ws = useWorkspaceApi();
  return useQuery({ queryKey: [...ws.key, ...KEY, "options"], queryFn: () => apiFetch<TDashboardOptions>(ws.api("dashboard/options")) });
}

/** POST /api/w/:workspace/dashboard/refresh */
export function useRefreshDashboard() {
  const ws = useWorkspaceApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<{ refreshed: boolean; durationMs: number }>(ws.api("dashboard/refresh"), { method: "POST" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...ws.key, ...KEY] }),
  });
}
