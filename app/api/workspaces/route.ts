import { NextResponse } from "next/server";
import { ZCreateWorkspace } from "@/lib/workspace/contract.ts";
import { withRoute } from "@/server/http/route.ts";
import { createWorkspace } from "@/server/workspace/create-workspace.ts";
import { listUserWorkspaces } from "@/server/workspace/list-user-workspaces.ts";

export const runtime = "nodejs";

// GET /api/workspaces – the signed-in user's workspaces and their role in each (every workspace for instance admins).
export const GET = withRoute({ roles: "any" }, async ({ user }) => ({ workspaces: await listUserWorkspaces({ user }) }));

// POST /api/workspaces – a new workspace with its taxonomy (template or categories); instance admins only.
// The creator becomes its admin member. A taken slug is 409, never a second, suffixed workspace.
export const POST = withRoute({ roles: ["admin"], body: ZCreateWorkspace }, async ({ user, body }) =>
  NextResponse.json({ workspace: await createWorkspace({ input: body, creatorUserId: user.id }) }, { status: 201, headers: { "cache-control": "no-store" } }),
);
