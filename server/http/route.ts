import { NextResponse } from "next/server";
import { z } from "zod";
import type { TSemaphore } from "@/lib/async/semaphore.ts";
import { AppError, type TErrorBody } from "@/lib/errors.ts";
import { IDEMPOTENCY_HEADER } from "@/lib/http/idempotency-key.ts";
import { parseBigIntPathId, parseIntPathId } from "@/lib/http/ids.ts";
import { isSameOriginRequest, isStateChangingMethod } from "@/lib/http/same-origin.ts";
import { hasRole, isAdjudicator, type TRole, type TSessionUser } from "../auth/roles.ts";
import { sessionCookieName, sessionInWorkspace, userForToken } from "../auth/session.ts";
import { databaseAppError } from "../db/pool.ts";
import { cachedEnv } from "../env.ts";
import { runIdempotent, runIdempotentInline, type TInlineKey } from "../idempotency/run-idempotent.ts";
import { clientGoneSignal } from "./client-gone.ts";
import { createUploadDigest } from "./upload-digest.ts";
import type { TCurrentWorkspace } from "../workspace/resolve-workspace.ts";

/** Default largest request body: JSON forms are a few KiB; uploads and imports set their own limit. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

type TContext<TBody, TQuery, TWorkspace> = {
  req: Request;
  user: TSessionUser;
  /** the caller's effective role: in the workspace of the URL for workspace routes, else the account's */
  role: TRole;
  workspace: TWorkspace;
  body: TBody;
  query: TQuery;
  params: Record<string, string>;
  /**
   * routes with `idempotent: { isStoredByHandler: true }`: the key row the handler's one statement must
   * insert with its answer (runIdempotentInline); null without an Idempotency-Key, and on other routes
   */
  idempotencyKey: TInlineKey | null;
};

type TIdempotentOption =
  | string
  | { operation: string; isAnswerSecret?: boolean; isStoredByHandler?: false }
  // the handler must insert ctx.idempotencyKey in its one statement; a sealed answer cannot be stored that way
  | { operation: string; isStoredByHandler: true; isAnswerSecret?: never };

type TRouteOptions<TBody, TQuery, TIsWorkspace extends boolean> = {
  /** who may call it; "any" = any signed-in user (for workspace routes: any member) */
  roles: readonly TRole[] | "any";
  body?: z.ZodType<TBody>;
  query?: z.ZodType<TQuery>;
  /** resolve params.workspace (one query): a non-member or unknown slug answers 404, the role is the membership's */
  workspace?: TIsWorkspace;
  /** largest request body in bytes (413 beyond it, before it is read); default DEFAULT_MAX_BODY_BYTES */
  maxBodyBytes?: number;
  /** workspace routes: still answer writes while the workspace is archived (only restoring it needs this) */
  isAllowedWhenArchived?: boolean;
  /**
   * workspace routes: names the operation ("queue.decide") and makes the request safe to retry. With an
   * Idempotency-Key header the handler runs at most once per (user, key): a retry with the same params and
   * body gets the stored first answer, a different request 409 (see runIdempotent). The handler must
   * answer JSON (a Response cannot be stored) and every write it makes must join the request's
   * transaction (inTransaction/queryRunner do), else a retry could repeat it; jobs go through afterCommit.
   * `isAnswerSecret`: the answer shows a secret once (a new API key), so it is stored sealed. On a route
   * without a workspace (creating an account) the key row has none. `isStoredByHandler`: the handler is
   * one statement that inserts the key row itself (ctx.idempotencyKey) with its answer, so the request is
   * one round trip instead of a transaction's three (the queue's decision; runIdempotentInline).
   */
  idempotent?: TIdempotentOption;
  /** the status of a successful JSON answer (202 for work queued in the background); default 200 */
  successStatus?: number;
  /** also require an adjudicator (isAdjudicator: an admin here, or an account flagged senior) */
  senior?: boolean;
  /**
   * admission control (server/queue/queue-gate.ts): once the caller is authenticated, authorised and its
   * body read, the handler waits for a slot and runs inside it, so at most the gate's limit of such
   * handlers use the database at once
   */
  gate?: () => TSemaphore;
};

/**
 * Wraps every API handler once: CSRF check on state-changing methods, body-size limit, authenticate,
 * resolve the workspace of the URL and the caller's role in it, check the role, parse body and query
 * with zod, call the handler, and map AppError / ZodError to a JSON error with the right status.
 */
export function withRoute<TBody = undefined, TQuery = undefined, TIsWorkspace extends boolean = false>(
  options: TRouteOptions<TBody, TQuery, TIsWorkspace>,
  handler: (ctx: TContext<TBody, TQuery, TIsWorkspace extends true ? TCurrentWorkspace : undefined>) => Promise<unknown>,
) {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (req: Request, segment: { params: Promise<Record<string, string>> }) => {
    try {
      assertSameOrigin(req);
      assertDeclaredLength(req, maxBodyBytes);
      const token = readCookie(req, sessionCookieName());
      const params = segment?.params ? await segment.params : {};
      let user: TSessionUser | null;
      let role: TRole;
      let workspace: TCurrentWorkspace | undefined;
      if (options.workspace) {
        // the session and the workspace with the caller's membership in one query
        const found = await sessionInWorkspace(token, params.workspace ?? "");
        if (!found) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
        // Unknown and not-a-member look the same (404): a non-member learns nothing about the workspace.
        if (!found.resolved) throw new AppError("NOT_FOUND", "No such workspace, or you are not a member of it. Open one from the workspace switcher.");
        user = found.user;
        ({ workspace, role } = found.resolved);
      } else {
        user = await userForToken(token);
        if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
        role = user.role;
      }
      if (!hasRole({ role }, options.roles)) throw new AppError("FORBIDDEN", "Your role does not allow this. Ask an admin for access.");
      if (options.senior && !isAdjudicator(user, role))
        throw new AppError("FORBIDDEN", "Only senior moderators and admins may do this. Ask an admin to mark you as senior.");
      // An archived workspace stays readable; every write (imports, labels, training, settings) is refused.
      if (workspace?.archivedAt && isStateChangingMethod(req.method) && !options.isAllowedWhenArchived) {
        throw new AppError("CONFLICT", `“${workspace.name}” is archived: it can be read but takes no new data. An admin can restore it in Admin → Settings.`);
      }
      const body = options.body ? parseIn("body", options.body, await readJsonBody(req, maxBodyBytes)) : (undefined as TBody);
      const query = options.query ? parseIn("query", options.query, Object.fromEntries(new URL(req.url).searchParams)) : (undefined as TQuery);
      const idempotentOption = options.idempotent as TIdempotentOption | undefined;
      const idempotent = typeof idempotentOption === "string" ? { operation: idempotentOption } : idempotentOption;
      let streamed = options.body ? req : limitBody(req, maxBodyBytes);
      // an upload is streamed, not parsed into `body`: a keyed one is hashed as the handler reads it, so a
      // retry with another file is refused like a retry with another JSON body (the answer stored is the
      // handler's small JSON summary, never the upload)
      let bodyDigest: (() => Promise<string>) | undefined;
      if (idempotent && !options.body && req.headers.has(IDEMPOTENCY_HEADER)) ({ req: streamed, digest: bodyDigest } = digestingBody(streamed));
      const ctx = {
        req: streamed,
        user,
        role,
        workspace: workspace as TIsWorkspace extends true ? TCurrentWorkspace : undefined,
        body,
        query,
        params,
        idempotencyKey: null,
      };
      const scope = idempotent && {
        userId: user.id,
        workspaceId: workspace?.id ?? null,
        key: req.headers.get(IDEMPOTENCY_HEADER),
        operation: idempotent.operation,
        request: { params, query: query ?? null, body: body ?? null },
        isAnswerSecret: idempotent.isAnswerSecret,
        bodyDigest,
      };
      const storable = async (answer: unknown) => {
        if (answer instanceof Response) throw new Error(`idempotent route "${idempotent?.operation}" answered a Response, which cannot be stored for a retry`);
        return answer;
      };
      const run = (): Promise<unknown> =>
        !scope
          ? handler(ctx)
          : idempotent?.isStoredByHandler
            ? runIdempotentInline(scope, async (idempotencyKey) => storable(await handler({ ...ctx, idempotencyKey })))
            : runIdempotent(scope, async () => storable(await handler(ctx)));
      // the gate is taken only now: a caller without a session, of another workspace or the wrong role was
      // refused above, and the body was read, so neither an anonymous flood nor a slow upload holds a slot.
      // A caller that goes away while waiting (server/http/client-gone.ts) leaves the line: under overload the slots go to requests somebody still waits for.
      const result = options.gate ? await options.gate().run(run, { signal: clientGoneSignal(req) }) : await run();
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true }, { status: options.successStatus ?? 200, headers: { "cache-control": "no-store" } });
    } catch (err) {
      // nobody is left to read the answer: no error logged for it (499, as proxies name it)
      const gone = clientGoneSignal(req);
      if (gone.aborted && err === gone.reason) return new Response(null, { status: 499 });
      return errorResponse(err);
    }
  };
}

/** CSRF: state-changing requests must come from the app's own origin (see isSameOriginRequest). */
export function assertSameOrigin(req: Request): void {
  if (!isStateChangingMethod(req.method)) return;
  const isSame = isSameOriginRequest({
    origin: req.headers.get("origin"),
    secFetchSite: req.headers.get("sec-fetch-site"),
    host: req.headers.get("host") ?? safeHost(req.url),
    publicUrl: cachedEnv().MODLOOP_PUBLIC_URL,
  });
  if (!isSame) throw new AppError("FORBIDDEN", "Cross-origin request refused: send it from the app's own pages (the Origin header must match this site).");
}

const safeHost = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
};

const tooLarge = (limit: number) => new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${formatBytes(limit)}, the most this endpoint accepts.`);

const formatBytes = (n: number) => (n >= 1024 ** 2 ? `${Math.round(n / 1024 ** 2)} MiB` : `${Math.round(n / 1024)} KiB`);

/** 413 from the declared Content-Length alone, before a byte of the body is read. */
export function assertDeclaredLength(req: Request, limit: number): void {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
}

/**
 * The body, read as it arrives and abandoned (413) the moment it passes the limit — whatever
 * Content-Length claimed (chunked bodies have none) — then parsed as JSON. Only
 * `application/json` is accepted (415 otherwise): a cross-site form can send text/plain without a
 * preflight, never application/json.
 */
export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  if (mediaType(req) !== "application/json")
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with the header Content-Type: application/json.");
  const bytes = await readLimited(req, limit);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new AppError("BAD_INPUT", "The request body is not valid JSON.");
  }
}

/**
 * A plain HTML form's body (`application/x-www-form-urlencoded`), read under the same limit, as its
 * fields (the first value of a repeated name). Only for the routes a form posts to before the page's
 * scripts run (sign-in); they check the Origin as every other POST (assertSameOrigin), which is what
 * keeps another site's form out, since a form needs no preflight.
 */
export async function readFormBody(req: Request, limit: number): Promise<Record<string, string>> {
  if (!isFormRequest(req)) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the form as application/x-www-form-urlencoded.");
  const bytes = await readLimited(req, limit);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("BAD_INPUT", "The form's body is not valid UTF-8.");
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) if (!Object.hasOwn(fields, name)) fields[name] = value;
  return fields;
}

/** Whether the body is a plain HTML form's (what a browser sends when a form is submitted without script). */
export function isFormRequest(req: Request): boolean {
  return mediaType(req) === "application/x-www-form-urlencoded";
}

/** The body's media type, without parameters (charset, boundary), lower-cased. */
const mediaType = (req: Request) => (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();

async function readLimited(req: Request, limit: number): Promise<Uint8Array> {
  assertDeclaredLength(req, limit);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** For handlers that stream the body themselves (uploads): the same cap, failing their stream with a 413 AppError. */
function limitBody(req: Request, limit: number): Request {
  if (!req.body) return req;
  // A declared length was checked against the limit already (assertDeclaredLength), and the HTTP parser
  // delivers exactly that many bytes: only chunked bodies need counting. Most bodiless-schema POSTs (claim,
  // undo) are then passed on as they are, without a TransformStream and a second Request per call.
  if (req.headers.get("content-length") !== null) return req;
  let total = 0;
  const body = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal, duplex: "half" } as RequestInit);
}

/**
 * The request with its body hashed as it is read (no copy kept: an upload may be hundreds of MiB).
 * `digest` reads through whatever nobody has read (a replay's body, which no handler reads), waits for
 * the end of a body a handler is still reading, and answers its digest (createUploadDigest: a form's
 * boundary, drawn anew for every send, is left out).
 */
function digestingBody(req: Request): { req: Request; digest: () => Promise<string> } {
  const hash = createUploadDigest(req.headers.get("content-type"));
  let settle: { resolve: (hex: string) => void; reject: (err: unknown) => void } | undefined;
  const ended = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  ended.catch(() => {}); // read only by digest(); a handler's failed read is reported by the handler
  const body = (req.body ?? new Blob([]).stream()).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        hash.update(chunk);
        controller.enqueue(chunk);
      },
      flush() {
        settle!.resolve(hash.digest());
      },
    }),
  );
  const hashed = new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal, duplex: "half" } as RequestInit);
  let digest: Promise<string> | undefined;
  return {
    req: hashed,
    digest: () => {
      digest ??= (async () => {
        if (!hashed.bodyUsed && hashed.body && !hashed.body.locked) {
          const reader = hashed.body.getReader();
          while (!(await reader.read()).done);
        }
        return ended;
      })();
      return digest;
    },
  };
}

/** One cookie from the request's Cookie header (route handlers and tests alike, no request context needed). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Zod errors name the part of the request they are about: `body.categoryId`, `query.limit`. */
export function parseIn<T>(location: "body" | "query", schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError(
    "VALIDATION",
    parsed.error.issues.map((i) => `${[location, ...i.path.map(String)].join(".")}: ${i.message}`).join("; "),
    parsed.error.issues.map((i) => ({ path: [location, ...i.path], message: i.message, code: i.code })),
  );
}

export function errorResponse(err: unknown): NextResponse<TErrorBody> {
  const database = databaseAppError(err);
  if (database) {
    return NextResponse.json({ error: { code: database.code, message: database.message } }, { status: database.status, headers: { "retry-after": "2" } });
  }
  if (err instanceof AppError) {
    return NextResponse.json({ error: { code: err.code, message: err.message, details: err.details } }, { status: err.status });
  }
  if (err instanceof z.ZodError) {
    return NextResponse.json(
      {
        error: {
          code: "VALIDATION" as const,
          message: err.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; "),
          details: err.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
        },
      },
      { status: 422 },
    );
  }
  console.error("[api] unexpected error", err);
  return NextResponse.json(
    { error: { code: "INTERNAL" as const, message: "Something went wrong on the server. Retry, and report it if it persists." } },
    { status: 500 },
  );
}

/** JSON.stringify cannot serialise BigInt ids: convert for responses. */
export function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/** A path id (`/…/:id`) that cannot name a row — not a number, or outside INTEGER — is a 404 before any query. */
export function pathIntId(raw: string | undefined): number {
  const id = parseIntPathId(raw);
  if (id === null) throw new AppError("NOT_FOUND", "Nothing with that id here: ids are positive whole numbers. Check the link.");
  return id;
}

/** The same for BIGINT ids (excerpts), kept as decimal strings. */
export function pathBigIntId(raw: string | undefined): string {
  const id = parseBigIntPathId(raw);
  if (id === null) throw new AppError("NOT_FOUND", "Nothing with that id here: ids are positive whole numbers. Check the link.");
  return id;
}
