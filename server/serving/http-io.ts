import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { AppError, type ERROR_STATUS } from "@/lib/errors.ts";
import { databaseAppError } from "../db/pool.ts";
import type { TGoogleStatus } from "@/lib/serving/contract.ts";

/** Which error body an endpoint answers with: modloop's own, or Google's for the Perspective paths. */
export type TErrorShape = "modloop" | "google";

/**
 * Reads a request body up to `limit` bytes. A Content-Length over the limit is refused before a byte
 * is read; a chunked body is counted as it arrives and refused the moment it passes the limit. Either
 * way the connection is closed after the 413, so an unread body is never parsed as the next request.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isDone = false;
    req.on("data", (chunk: Buffer) => {
      if (isDone) return;
      size += chunk.length;
      if (size > limit) {
        isDone = true;
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (isDone) return;
      isDone = true;
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.on("error", (err) => {
      if (isDone) return;
      isDone = true;
      reject(err);
    });
  });
}

function tooLarge(limit: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${limit} bytes; send fewer or shorter texts per request.`);
}

export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw new AppError("BAD_INPUT", "The request body is empty; send a JSON object.");
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new AppError("BAD_INPUT", "The request body is not valid JSON.");
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(payload);
}

const GOOGLE: Record<keyof typeof ERROR_STATUS, { code: number; status: TGoogleStatus }> = {
  UNAUTHENTICATED: { code: 403, status: "PERMISSION_DENIED" },
  FORBIDDEN: { code: 403, status: "PERMISSION_DENIED" },
  NOT_FOUND: { code: 404, status: "NOT_FOUND" },
  CONFLICT: { code: 400, status: "FAILED_PRECONDITION" },
  VALIDATION: { code: 400, status: "INVALID_ARGUMENT" },
  RATE_LIMITED: { code: 429, status: "RESOURCE_EXHAUSTED" },
  PAYLOAD_TOO_LARGE: { code: 413, status: "INVALID_ARGUMENT" },
  UNSUPPORTED_MEDIA_TYPE: { code: 400, status: "INVALID_ARGUMENT" },
  NO_MODEL: { code: 400, status: "FAILED_PRECONDITION" },
  BAD_INPUT: { code: 400, status: "INVALID_ARGUMENT" },
  BUSY: { code: 503, status: "UNAVAILABLE" },
  UNAVAILABLE: { code: 503, status: "UNAVAILABLE" },
  INTERNAL: { code: 500, status: "INTERNAL" },
};

/** Any thrown error as the endpoint's error body; unexpected ones are logged and answered as INTERNAL. */
export function sendError(res: ServerResponse, err: unknown, shape: TErrorShape, opts: { closeConnection?: boolean } = {}): void {
  let appError: AppError;
  const database = databaseAppError(err);
  if (err instanceof AppError) appError = err;
  else if (database) appError = database;
  else if (err instanceof z.ZodError) appError = new AppError("VALIDATION", err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  else {
    console.error("[api] unexpected error", err);
    appError = new AppError("INTERNAL", "Something went wrong on the server. Retry, and report it if it persists.");
  }
  const headers: Record<string, string> = {};
  const retryAfter = (appError.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if ((appError.code === "RATE_LIMITED" || appError.code === "BUSY" || appError.code === "UNAVAILABLE") && retryAfter !== undefined)
    headers["retry-after"] = String(retryAfter);
  if (opts.closeConnection) headers.connection = "close";
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (shape === "google") {
    const g = GOOGLE[appError.code];
    sendJson(res, g.code, { error: { code: g.code, message: appError.message, status: g.status } }, headers);
  } else {
    sendJson(
      res,
      appError.status,
      { error: { code: appError.code, message: appError.message, ...(appError.details !== undefined ? { details: appError.details } : {}) } },
      headers,
    );
  }
}
