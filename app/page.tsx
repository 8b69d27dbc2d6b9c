import { redirect } from "next/navigation";
import { homePathFor } from "@/server/auth/require-page-user.ts";
import { currentUser } from "@/server/auth/session.ts";

export default async function HomePage() {
  const user = await currentUser();
  redirect(user ? await homePathFor(user) : "/login");
}
