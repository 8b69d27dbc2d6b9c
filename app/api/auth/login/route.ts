import { NextResponse } from "next/server";
import { z } from "zod";
import { signInFailureOf, signInFailurePath } from "@/lib/auth/sign-in-failure.ts";
import { AppError } from "@/lib/errors.ts";
import { assertSameOrigin, errorResponse, isFormRequest, parseIn, readFormBody, readJsonBody } from "@/server/http/route.ts";
import { homePathFor } from "@/server/auth/require-page-user.ts";
import { clientAddress } from "@/server/auth/client-address.ts";
import { sessionCookieName, sessionCookieOptions } from "@/server/auth/session.ts";
import { signIn } from "@/server/auth/sign-in.ts";

export const runtime = "nodejs";

/** An email and a password (at most 256 characters by the policy) fit in far less. */
const MAX_LOGIN_BODY_BYTES = 4 * 1024;

const ZLogin = z.object({ email: z.string().trim().min(1, "Enter your email"), password: z.string().min(1, "Enter your password") });

// POST /api/auth/login – password sign-in; sets the httpOnly session cookie.
// The one route outside withRoute: it is how a caller gets a session in the first place.
// Two ways in, one check: JSON from the page's script (answered with JSON), or the login page's plain
// form, which a browser posts when the page's scripts have not run yet (answered with a redirect: to the
// user's home page, or back to /login with the reason). Without the form path the browser would send the
// form as a GET, with the password in the address.
export async function POST(req: Request) {
  const isForm = isFormRequest(req);
  let isCrossSite = false;
  try {
    // Login CSRF (signing a victim in as the attacker) is closed by the same origin check as every other POST;
    // the small limit keeps an anonymous caller from making the server read (and hash) megabytes.
    try {
      assertSameOrigin(req);
    } catch (err) {
      isCrossSite = true;
      throw err;
    }
    const body = isForm ? await readFormBody(req, MAX_LOGIN_BODY_BYTES) : await readJsonBody(req, MAX_LOGIN_BODY_BYTES);
    const { email, password } = parseIn("body", ZLogin, body);
    const { user, token, expiresAt } = await signIn({ email, password, address: clientAddress(req) });
    const redirectTo = await homePathFor(user);
    const res = isForm ? seeOther(redirectTo) : NextResponse.json({ user, redirectTo }, { headers: { "cache-control": "no-store" } });
    res.cookies.set(sessionCookieName(), token, sessionCookieOptions(expiresAt));
    return res;
  } catch (err) {
    const code = err instanceof AppError ? err.code : undefined;
    const retryAfterS = code === "RATE_LIMITED" ? ((err as AppError).details as { retryAfterS?: number } | undefined)?.retryAfterS : undefined;
    const res = isForm ? seeOther(signInFailurePath(signInFailureOf(code, isCrossSite), retryAfterS)) : errorResponse(err);
    if (isForm && !(err instanceof AppError)) console.error("[auth] form sign-in failed:", err);
    if (retryAfterS) res.headers.set("retry-after", String(retryAfterS));
    return res;
  }
}

/** 303: the browser follows with a GET. A path, not an absolute address: right behind any proxy. */
function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location: path, "cache-control": "no-store" } });
}
