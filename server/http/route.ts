import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError, type TErrorBody } from "@/lib/errors.ts";
import { requireUser } from "../auth/session.ts";
import type { TRole, TSessionUser } from "../auth/roles.ts";

type TContext<TBody, TQuery> = {
  req: Request;
  user: TSessionUser;
  body: TBody;
  query: TQuery;
  params: Record<string, string>;
};

type TRouteOptions<TBody, TQuery> = {
  /** who may call it; "any" = any signed-in user */
  roles: readonly TRole[] | "any";
  body?: z.ZodType<TBody>;
  query?: z.ZodType<TQuery>;
};

/**
 * Wraps every API handler once: authenticate, check the role, parse body and query with zod,
 * call the handler, and map AppError / ZodError to a JSON error with the right status.
 */
export function withRoute<TBody = undefined, TQuery = undefined>(
  options: TRouteOptions<TBody, TQuery>,
  handler: (ctx: TContext<TBody, TQuery>) => Promise<unknown>,
) {
  return async (req: Request, segment: { params: Promise<Record<string, string>> }) => {
    try {
      const user = await requireUser(options.roles);
      const params = segment?.params ? await segment.params : {};
      const body = options.body ? options.body.parse(await readJson(req)) : (undefined as TBody);
      const query = options.query
        ? options.query.parse(Object.fromEntries(new URL(req.url).searchParams))
        : (undefined as TQuery);
      const result = await handler({ req, user, body, query, params });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true }, { headers: { "cache-control": "no-store" } });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AppError("BAD_INPUT", "The request body is not valid JSON.");
  }
}

export function errorResponse(err: unknown): NextResponse<TErrorBody> {
  if (err instanceof AppError) {
    return NextResponse.json({ error: { code: err.code, message: err.message, details: err.details } }, { status: err.status });
  }
  if (err instanceof z.ZodError) {
    return NextResponse.json(
      {
        error: {
          code: "VALIDATION" as const,
          message: err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
          details: err.issues,
        },
      },
      { status: 422 },
    );
  }
  console.error("[api] unexpected error", err);
  return NextResponse.json({ error: { code: "INTERNAL" as const, message: "Something went wrong on the server. Retry, and report it if it persists." } }, { status: 500 });
}

/** JSON.stringify cannot serialise BigInt ids: convert for responses. */
export function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}
