import { redirect } from "next/navigation";
import { SetupWizard } from "@/components/setup/setup-wizard.tsx";
import { currentUser } from "@/server/auth/session.ts";
import { hasAnyWorkspace, isSetupNeeded } from "@/server/setup/is-setup-needed.ts";

export const metadata = { title: "Set up · modloop" };
export const dynamic = "force-dynamic";

/**
 * First run. No account yet: create the first admin (step 1). The admin signed in and no workspace yet:
 * create the first workspace (step 2). Anything else: setup is done, go home.
 */
export default async function SetupPage() {
  let initialStep: 0 | 1;
  if (await isSetupNeeded()) initialStep = 0;
  else {
    const user = await currentUser();
    if (user?.role !== "admin" || (await hasAnyWorkspace())) redirect("/");
    initialStep = 1;
  }
  return (
    <main className="flex min-h-screen justify-center bg-slate-100 p-6">
      <div className="w-full max-w-3xl">
        <div className="mb-6 flex items-center gap-2">
          <span className="flex h-8 w-8 items-center justify-center rounded-md bg-indigo-600 font-bold text-white">m</span>
          <h1 className="text-lg font-semibold tracking-tight">Set up modloop</h1>
        </div>
        <SetupWizard initialStep={initialStep} />
      </div>
    </main>
  );
}
