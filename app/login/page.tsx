import { redirect } from "next/navigation";
import { LoginForm } from "@/components/shell/login-form.tsx";
import { LogoMark } from "@/components/shell/logo.tsx";
import { listDemoAccounts } from "@/server/demo/list-demo-accounts.ts";
import { homePathFor } from "@/server/auth/require-page-user.ts";
import { currentUser } from "@/server/auth/session.ts";

export const metadata = { title: "Sign in · modloop" };

export default async function LoginPage() {
  const user = await currentUser();
  if (user) redirect(await homePathFor(user));
  const demo = await listDemoAccounts();
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <LogoMark className="h-8 w-8" />
          <span className="text-lg font-semibold tracking-tight">modloop</span>
        </div>
        <LoginForm demo={demo} />
        {!demo && <p className="mt-4 text-center text-xs text-slate-600">Accounts are created by your workspace admin.</p>}
      </div>
    </main>
  );
}
