import { redirect } from "next/navigation";
import { LoginForm } from "@/components/shell/login-form.tsx";
import { homePathFor } from "@/server/auth/require-page-user.ts";
import { currentUser } from "@/server/auth/session.ts";

export const metadata = { title: "Sign in · modloop" };

export default async function LoginPage() {
  const user = await currentUser();
  if (user) redirect(homePathFor(user.role));
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <span className="flex h-8 w-8 items-center justify-center rounded-md bg-indigo-600 font-bold text-white">m</span>
          <span className="text-lg font-semibold tracking-tight">modloop</span>
        </div>
        <LoginForm />
        <p className="mt-4 text-center text-xs text-slate-500">Accounts are created by your workspace admin.</p>
      </div>
    </main>
  );
}
