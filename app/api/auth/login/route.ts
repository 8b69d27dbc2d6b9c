import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/errors.ts";
import { assertSameOrigin, errorResponse, parseIn, readJsonBody } from "@/server/http/route.ts";
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
export async function POST(req: Request) {
  try {
    // Login CSRF (signing a victim in as the attacker) is closed by the same origin check as every other POST;
    // the small limit keeps an anonymous caller from making the server read (and hash) megabytes.
    assertSameOrigin(req);
    const { email, password } = parseIn("body", ZLogin, await readJsonBody(req, MAX_LOGIN_BODY_BYTES));
    const { user, token, expiresAt } = await signIn({ email, password, address: clientAddress(req) });
    const res = NextResponse.json({ user, redirectTo: await homePathFor(user) }, { headers: { "cache-control": "no-store" } });
    res.cookies.set(sessionCookieName(), token, sessionCookieOptions(expiresAt));
    return res;
  } catch (err) {
    const res = errorResponse(err);
    const retryAfterS = err instanceof AppError && err.code === "RATE_LIMITED" ? (err.details as { retryAfterS?: number } | undefined)?.retryAfterS : undefined;
    if (retryAfterS) res.headers.set("retry-after", String(retryAfterS));
    return res;
  }
}
