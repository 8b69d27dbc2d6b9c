import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { withRoute } from "@/server/http/route.ts";
import { deleteSession, sessionCookieName, sessionCookieOptions } from "@/server/auth/session.ts";

export const runtime = "nodejs";

// POST /api/auth/logout – ends the session (row deleted, cookie cleared).
export const POST = withRoute({ roles: "any" }, async () => {
  const jar = await cookies();
  const token = jar.get(sessionCookieName())?.value;
  if (token) await deleteSession(token);
  const res = NextResponse.json({ ok: true });
  res.cookies.set(sessionCookieName(), "", sessionCookieOptions(null));
  return res;
});
