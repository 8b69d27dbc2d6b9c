import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { withRoute } from "@/server/http/route.ts";
import { deleteSession, SESSION_COOKIE } from "@/server/auth/session.ts";

export const runtime = "nodejs";

// POST /api/auth/logout – ends the session (row deleted, cookie cleared).
export const POST = withRoute({ roles: "any" }, async () => {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await deleteSession(token);
  const res = NextResponse.json({ ok: true });
  res.cookies.set(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 0 });
  return res;
});
