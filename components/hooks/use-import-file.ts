import { useMutation } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TColumnMapping } from "@/lib/import/mapping.ts";
import type { TLabelMap } from "@/lib/import/labels.ts";
import type { TImportSummary } from "@/lib/import/types.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

export type TImportResult = TImportSummary;

export type TImportInput = {
  file: File;
  format: "csv" | "jsonl";
  mapping: TColumnMapping;
  labelMap: TLabelMap;
  isHeldOut: boolean;
};

/** POST /api/w/:workspace/imports (multipart: file, format, mapping JSON, labelMap JSON, heldOut) */
export function useImportFile() {
  const ws = useWorkspaceApi();
  return useMutation<TImportResult, ApiError, TImportInput>({
    mutationFn: ({ file, format, mapping, labelMap, isHeldOut }) => {
      const form = new FormData();
      form.set("format", format);
      form.set("mapping", JSON.stringify(mapping));
      form.set("labelMap", JSON.stringify(labelMap));
      form.set("heldOut", String(isHeldOut));
      // last: the server streams the file and reads the options before it
      form.set("file", file);
      return apiFetch<TImportResult>(ws.api("imports"), { method: "POST", body: form, isIdempotent: true });
    },
  });
}
