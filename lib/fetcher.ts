import type { TErrorBody, TErrorCode } from "./errors.ts";
import { IDEMPOTENCY_HEADER, newIdempotencyKey } from "./http/idempotency-key.ts";

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

/** Network and server failures are worth retrying; a 4xx (validation, forbidden, conflict) is not. */
export const isRetryable = (err: unknown) => !(err instanceof ApiError) || err.status === 0 || err.status >= 500 || err.status === 429;

type TFetchInit = RequestInit & {
  json?: unknown;
  /**
   * One user action (a click) that must happen once: the call sends one new Idempotency-Key and keeps it
   * across its own retries of network and server failures (`retries`, default 3, backing off), so a
   * response lost after the server committed comes back as the first answer instead of a second write.
   */
  isIdempotent?: boolean;
  retries?: number;
};

/** The one fetcher every TanStack Query hook uses. JSON in, JSON out, non-2xx → ApiError. */
export async function apiFetch<T>(url: string, init: TFetchInit = {}): Promise<T> {
  const { isIdempotent, retries = 3, ...rest } = init;
  if (!isIdempotent) return fetchOnce<T>(url, rest);
  const key = newIdempotencyKey();
  const headers = { ...(rest.headers as Record<string, string> | undefined), [IDEMPOTENCY_HEADER]: key };
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchOnce<T>(url, { ...rest, headers });
    } catch (err) {
      if (attempt >= retries || !isRetryable(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 4000)));
    }
  }
}

async function fetchOnce<T>(url: string, init: RequestInit & { json?: unknown }): Promise<T> {
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
