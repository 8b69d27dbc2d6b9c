import type { TErrorBody, TErrorCode } from "./errors.ts";

/** Error thrown by the client fetcher for any non-2xx response; carries the server's error code. */
export class ApiError extends Error {
  readonly code: TErrorCode | "NETWORK";
  readonly status: number;
  readonly details?: unknown;
  constructor(code: TErrorCode | "NETWORK", status: number, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** The one fetcher every TanStack Query hook uses. JSON in, JSON out, non-2xx → ApiError. */
export async function apiFetch<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(url, {
      ...rest,
      headers: { ...(json !== undefined ? { "content-type": "application/json" } : {}), ...rest.headers },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
      credentials: "same-origin",
    });
  } catch (err) {
    throw new ApiError("NETWORK", 0, `Network error: ${(err as Error).message}. Check your connection and retry.`);
  }
  if (!res.ok) {
    let body: TErrorBody | undefined;
    try {
      body = (await res.json()) as TErrorBody;
    } catch {
      /* not JSON */
    }
    throw new ApiError(body?.error.code ?? "INTERNAL", res.status, body?.error.message ?? `Request failed (${res.status})`, body?.error.details);
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}
