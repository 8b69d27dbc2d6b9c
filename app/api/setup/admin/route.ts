import { NextResponse } from "next/server";
import { z } from "zod";
import { ZNewPassword } from "@/lib/auth/password-policy.ts";
import { sessionCookieName, sessionCookieOptions, createSession } from "@/server/auth/session.ts";
import { assertSameOrigin, errorResponse, parseIn, readJsonBody } from "@/server/http/route.ts";
import { createFirstAdmin } from "@/server/setup/create-first-admin.ts";

export const runtime = "nodejs";

/** A name, an email and a password (at most 256 characters) fit in far less. */
const MAX_SETUP_BODY_BYTES = 4 * 1024;

const ZFirstAdmin = z
  .object({
    email: z.string().trim().toLowerCase().email("Enter a valid email address"),
    name: z.string().trim().min(1, "Enter a name").max(120),
    password: ZNewPassword,
  })
  .strict();

// POST /api/setup/admin – the first account (an instance admin), only while no account exists; signs it in.
// Outside withRoute like sign-in: nobody can be signed in yet. Same origin check and a small body limit.
export async function POST(req: Request) {
  try {
    assertSameOrigin(req);
    const user = await createFirstAdmin(parseIn("body", ZFirstAdmin, await readJsonBody(req, MAX_SETUP_BODY_BYTES)));
    const { token, expiresAt } = await createSession(user.id);
    const res = NextResponse.json({ user }, { status: 201, headers: { "cache-control": "no-store" } });
    res.cookies.set(sessionCookieName(), token, sessionCookieOptions(expiresAt));
    return res;
  } catch (err) {
    return errorResponse(err);
  }
}
