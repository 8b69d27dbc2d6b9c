import { useMutation } from "@tanstack/react-query";
import { apiFetch, type ApiError } from "@/lib/fetcher.ts";
import type { TColumnMapping } from "@/lib/import/mapping.ts";
import type { TImportPreview } from "@/lib/import/types.ts";
import { useWorkspaceApi } from "@/components/hooks/workspace-context.tsx";

export type TImportPreviewInput = { file: File; format: "csv" | "jsonl"; mapping: TColumnMapping };

/** POST /api/w/:workspace/imports/preview (multipart: format, mapping JSON, then file): what the import would store; writes nothing. */
export function useImportPreview() {
  const ws = useWorkspaceApi();
  return useMutation<TImportPreview, ApiError, TImportPreviewInput>({
    mutationFn: ({ file, format, mapping }) => {
      const form = new FormData();
      form.set("format", format);
      form.set("mapping", JSON.stringify(mapping));
      // last: the server streams the file and reads the options before it
      form.set("file", file);
      return apiFetch<TImportPreview>(ws.api("imports/preview"), { method: "POST", body: form });
    },
  });
}
