import { withRoute } from "@/server/http/route.ts";
import { createUser } from "@/server/users/create-user.ts";
import { listUsers } from "@/server/users/list-users.ts";
import { ZCreateUser } from "@/lib/users/contract.ts";

export const runtime = "nodejs";

// GET /api/admin/users – every account with role, status and decision count.
export const GET = withRoute({ roles: ["admin"] }, async () => ({ users: await listUsers() }));

// POST /api/admin/users – creates an account with an initial password.
// With an Idempotency-Key a retried create answers the account it created instead of a 409 on its own email.
export const POST = withRoute({ roles: ["admin"], body: ZCreateUser, idempotent: "users.create" }, async ({ body }) => ({ user: await createUser(body) }));
