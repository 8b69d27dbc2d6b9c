import { redirect } from "next/navigation";
import { requirePageUser } from "@/server/auth/require-page-user.ts";

export default async function AdminIndexPage() {
  await requirePageUser(["admin"]);
  redirect("/admin/users");
}
