import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/errors.ts";
import { errorResponse } from "@/server/http/route.ts";
import { homePathFor } from "@/server/auth/require-page-user.ts";
import { SESSION_COOKIE } from "@/server/auth/session.ts";
import { signIn } from "@/server/auth/sign-in.ts";

export const runtime = "nodejs";

const ZLogin = z.object({ email: z.string().trim().min(1, "Enter your email"), password: z.string().min(1, "Enter your password") });

// POST /api/auth/login – password sign-in; sets the httpOnly session cookie.
// The one route outside withRoute: it is how a caller gets a session in the first place.
export async function POST(req: Request) {
  try {
    let raw: unknown;
    try {
      raw = await req.json();
    } catch {
      throw new AppError("BAD_INPUT", "The request body is not valid JSON.");
    }
    const { email, password } = ZLogin.parse(raw);
    const ip = req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || req.headers.get("x-real-ip") || "local";
    const { user, token, expiresAt } = await signIn({ email, password, ip });
    const res = NextResponse.json({ user, redirectTo: homePathFor(user.role) }, { headers: { "cache-control": "no-store" } });
    res.cookies.set(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: "lax",
      secure: new URL(req.url).protocol === "https:",
      path: "/",
      expires: expiresAt,
    });
    return res;
  } catch (err) {
    return errorResponse(err);
  }
}
