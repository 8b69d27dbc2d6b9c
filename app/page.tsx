import { redirect } from "next/navigation";
import { homePathFor } from "@/server/auth/require-page-user.ts";
import { currentUser } from "@/server/auth/session.ts";
import { isSetupNeeded } from "@/server/setup/is-setup-needed.ts";

export default async function HomePage() {
  // a fresh install (no account yet) starts with the setup page
  if (await isSetupNeeded()) redirect("/setup");
  const user = await currentUser();
  redirect(user ? await homePathFor(user) : "/login");
}
