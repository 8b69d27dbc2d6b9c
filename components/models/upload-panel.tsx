"use client";

import { useId, useState } from "react";
import { useUploadModel } from "@/components/hooks/use-models.ts";
import { buttonClass, ErrorBanner } from "@/components/ui/page-header.tsx";

/** Registers a fine-tuned model folder (model/train.py's output) as a candidate version. */
export function UploadPanel() {
  const upload = useUploadModel();
  const [files, setFiles] = useState<File[]>([]);
  const inputId = useId();
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3 text-[13px]" data-testid="upload-panel">
      <h2 className="text-sm font-semibold">Register a fine-tuned model</h2>
      <p className="mb-2 text-xs text-slate-500">
        The folder <code>model/train.py</code> writes: one <code>.tar.gz</code> of it, or its files <code>manifest.json</code>, <code>model.onnx</code> and{" "}
        <code>tokenizer.json</code>. Its labels must match this workspace&apos;s category names. Large checkpoints:{" "}
        <code>npm run model:import -- &lt;dir&gt;</code>.
      </p>
      <ErrorBanner error={upload.error} />
      {upload.data && (
        <div role="status" className="mb-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-1.5 text-xs text-emerald-800">
          Registered {upload.data.version} as a candidate and evaluated it on {upload.data.goldN} gold labels.
        </div>
      )}
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (files.length > 0) upload.mutate(files);
        }}
      >
        {/* the native input stays (keyboard, screen readers, drag-and-drop onto it) but is styled: a
            button-like "Choose files" and the chosen names beside it */}
        <label
          htmlFor={inputId}
          className="flex min-w-0 flex-1 cursor-pointer items-center gap-2 rounded-md border border-dashed border-slate-300 bg-slate-50 px-2 py-1.5 hover:border-indigo-400 focus-within:border-indigo-500"
        >
          <input
            id={inputId}
            aria-label="Model files"
            type="file"
            multiple
            accept=".gz,.tgz,.tar,.json,.onnx"
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
            className="max-w-full text-xs text-slate-700 file:mr-2 file:cursor-pointer file:rounded-md file:border file:border-slate-300 file:bg-white file:px-2.5 file:py-1 file:text-[13px] file:font-medium file:text-slate-800 hover:file:bg-slate-100"
          />
          {files.length > 0 && <span className="truncate text-xs text-slate-600">{files.map((f) => f.name).join(", ")}</span>}
        </label>
        <button type="submit" className={buttonClass} disabled={files.length === 0 || upload.isPending}>
          {upload.isPending ? "Registering…" : "Upload"}
        </button>
      </form>
    </section>
  );
}
