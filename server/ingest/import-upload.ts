import { Readable } from "node:stream";
import busboy from "busboy";
import { z } from "zod";
import { AppError } from "@/lib/errors.ts";
import { ZColumnMapping } from "@/lib/import/mapping.ts";
import { ZImportFormat, type TImportPreview, type TImportSummary } from "@/lib/import/types.ts";
import { importExcerpts } from "./import-excerpts.ts";
import { previewImport } from "./preview-import.ts";
import type { TInsertedExcerpts } from "./run-import.ts";

const jsonField = <T extends z.ZodType>(schema: T, name: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return undefined;
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: `${name} must be JSON, e.g. ${name === "mapping" ? '{"text":"comment_text"}' : '{"toxic":"harassment"}'}` });
        return z.NEVER;
      }
    })
    .pipe(schema.optional());

/** The largest upload an import (or its preview) accepts: it streams, so this bounds the file, not memory. */
export const MAX_IMPORT_UPLOAD_BYTES = 2 * 1024 ** 3;

/** The form fields that travel with the file; they must come before it in the multipart body. */
export const ZImportUploadFields = z.object({
  format: ZImportFormat.optional(),
  mapping: jsonField(ZColumnMapping, "mapping"),
  labelMap: jsonField(z.record(z.string().trim().min(1), z.string().trim().min(1)), "labelMap"),
  heldOut: z
    .enum(["true", "false", "1", "0", "on", "off", ""])
    .optional()
    .transform((v) => v === "true" || v === "1" || v === "on"),
  delimiter: z.string().max(2).optional(),
  /** comma-separated 0/1 label columns (Jigsaw style) */
  labelColumns: z
    .string()
    .optional()
    .transform((v) =>
      v
        ?.split(",")
        .map((c) => c.trim())
        .filter(Boolean),
    ),
});

function formatFromName(filename: string): "csv" | "jsonl" | undefined {
  const lower = filename.toLowerCase();
  if (lower.endsWith(".csv") || lower.endsWith(".tsv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  return undefined;
}

type TUploadFields = z.infer<typeof ZImportUploadFields>;

/**
 * Streams a multipart upload (option fields first, then `file`) into `handle`, so a large file is
 * never held in memory. Fields sent after the file are too late to apply and are refused.
 */
function withUploadedFile<T>(
  request: Request,
  handle: (file: { stream: NodeJS.ReadableStream; filename: string; format: "csv" | "jsonl" }, fields: TUploadFields) => Promise<T>,
): Promise<T> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data") || !request.body) {
    throw new AppError("BAD_INPUT", "Send the file as multipart/form-data with the file in a field named `file`.");
  }
  const parser = busboy({ headers: { "content-type": contentType }, limits: { files: 1, fields: 20, fieldSize: 256 * 1024 } });
  const fields: Record<string, string> = {};

  const result = new Promise<T>((resolve, reject) => {
    let isFileSeen = false;
    parser.on("field", (name, value) => {
      if (isFileSeen) {
        reject(new AppError("BAD_INPUT", `The form field "${name}" came after the file: put every option before the file field.`));
        return;
      }
      fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      if (name !== "file" || isFileSeen) {
        stream.resume();
        return;
      }
      isFileSeen = true;
      const parsed = ZImportUploadFields.safeParse(fields);
      if (!parsed.success) {
        stream.resume();
        reject(new AppError("VALIDATION", parsed.error.issues.map((i) => `body.${i.path.join(".") || "form"}: ${i.message}`).join("; ")));
        return;
      }
      const format = parsed.data.format ?? formatFromName(info.filename ?? "");
      if (!format) {
        stream.resume();
        reject(new AppError("VALIDATION", `body.format: cannot tell the format of "${info.filename}": choose csv or jsonl.`));
        return;
      }
      handle({ stream, filename: info.filename || "upload", format }, parsed.data).then(
        (value) => {
          // a preview may stop reading early: drain the rest so the request completes
          stream.resume();
          resolve(value);
        },
        (err: unknown) => {
          // drain what is left so the request completes and the client sees the error
          stream.resume();
          reject(err);
        },
      );
    });
    parser.on("error", (err: Error) => {
      // the route's byte cap fails the body stream with its own AppError (413): pass it on as it is
      const cause = (err as { cause?: unknown }).cause;
      if (err instanceof AppError) reject(err);
      else if (cause instanceof AppError) reject(cause);
      else reject(new AppError("BAD_INPUT", `The upload could not be read: ${err.message}`));
    });
    parser.on("close", () => {
      if (!isFileSeen) reject(new AppError("BAD_INPUT", "No file in the upload: attach it in a form field named `file`."));
    });
  });

  const body = Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>);
  body.on("error", (err) => parser.destroy(err));
  body.pipe(parser);
  return result;
}

/**
 * POST /api/imports: streams a multipart upload (fields `format`, `mapping`, `labelMap`,
 * `labelColumns`, `heldOut`, `delimiter`, then `file`) straight into importExcerpts. With a
 * `labelMap` (the mapping the user confirmed after the preview), it decides every label.
 */
export async function importUpload(opts: {
  workspaceId: number;
  userId: number;
  request: Request;
  onInserted?: (inserted: TInsertedExcerpts) => void | Promise<void>;
}): Promise<TImportSummary> {
  return withUploadedFile(opts.request, (file, fields) =>
    importExcerpts({
      workspaceId: opts.workspaceId,
      userId: opts.userId,
      input: file.stream,
      format: file.format,
      filename: file.filename,
      mapping: fields.mapping,
      labelMap: fields.labelMap,
      labelColumns: fields.labelColumns,
      heldOut: fields.heldOut,
      delimiter: fields.delimiter || undefined,
      onInserted: opts.onInserted,
    }),
  );
}

/** POST /api/imports/preview: the same upload, read by previewImport; nothing is written. */
export async function previewUpload(opts: { workspaceId: number; request: Request }): Promise<TImportPreview> {
  return withUploadedFile(opts.request, (file, fields) =>
    previewImport({
      workspaceId: opts.workspaceId,
      input: file.stream,
      format: file.format,
      mapping: fields.mapping,
      labelColumns: fields.labelColumns,
      delimiter: fields.delimiter || undefined,
    }),
  );
}
