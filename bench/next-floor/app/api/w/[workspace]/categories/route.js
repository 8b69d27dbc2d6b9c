// The framework's floor: a Next.js route handler doing the app's categories lookup with plain `pg`.
import { lookupCategories, tokenFromCookie } from "../../../../../lookup.js";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(req, { params }) {
  const { workspace } = await params;
  const { status, body } = await lookupCategories(tokenFromCookie(req.headers.get("cookie")), workspace);
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}
