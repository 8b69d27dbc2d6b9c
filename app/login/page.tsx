import { redirect } from "next/navigation";
import { signInFailureMessage } from "@/lib/auth/sign-in-failure.ts";
import { LoginForm } from "@/components/shell/login-form.tsx";
import { LogoMark } from "@/components/shell/logo.tsx";
import { listDemoAccounts } from "@/server/demo/list-demo-accounts.ts";
import { homePathFor } from "@/server/auth/require-page-user.ts";
import { currentUser } from "@/server/auth/session.ts";

export const metadata = { title: "Sign in · modloop" };

// ?error=<reason>: where the plain form's sign-in (before the page's scripts ran) was sent back to
export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string | string[]; wait?: string | string[] }> }) {
  const user = await currentUser();
  if (user) redirect(await homePathFor(user));
  const [demo, query] = await Promise.all([listDemoAccounts(), searchParams]);
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <LogoMark className="h-8 w-8" />
          <span className="text-lg font-semibold tracking-tight">modloop</span>
        </div>
        <LoginForm demo={demo} initialError={signInFailureMessage(query.error, query.wait)} />
        {!demo && <p className="mt-4 text-center text-xs text-slate-600">Accounts are created by your workspace admin.</p>}
      </div>
    </main>
  );
}
