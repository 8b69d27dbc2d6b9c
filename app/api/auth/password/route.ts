import { cookies } from "next/headers";
import { z } from "zod";
import { ZNewPassword } from "@/lib/auth/password-policy.ts";
import { withRoute } from "@/server/http/route.ts";
import { changePassword } from "@/server/auth/change-password.ts";
import { sessionCookieName } from "@/server/auth/session.ts";

export const runtime = "nodejs";

const ZChangePassword = z.object({ currentPassword: z.string().min(1, "Enter your current password"), newPassword: ZNewPassword });

// POST /api/auth/password – the signed-in user changes their own password; their other sessions end.
export const POST = withRoute({ roles: "any", body: ZChangePassword }, async ({ user, body }) => {
  const jar = await cookies();
  return changePassword({
    userId: user.id,
    currentPassword: body.currentPassword,
    newPassword: body.newPassword,
    keepSessionToken: jar.get(sessionCookieName())?.value,
  });
});
