"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useWorkspace } from "@/components/hooks/workspace-context.tsx";
import { workspacePath } from "@/lib/workspace/paths.ts";

const TABS = [
  { href: "admin/members", label: "Members" },
  { href: "admin/users", label: "Users" },
  { href: "admin/taxonomy", label: "Taxonomy" },
  { href: "admin/settings", label: "Queue settings" },
  { href: "admin/import", label: "Import" },
  { href: "admin/api-keys", label: "API keys" },
  { href: "admin/webhooks", label: "Webhooks" },
  { href: "admin/machine-api", label: "Machine API" },
];

export function AdminTabs() {
  const pathname = usePathname();
  const { slug } = useWorkspace();
  return (
    <nav aria-label="Admin" className="mb-4 flex gap-1 border-b border-slate-200">
      {TABS.map((t) => (
        <Link
          key={t.href}
          href={workspacePath(slug, t.href)}
          className={`-mb-px border-b-2 px-3 py-2 text-[13px] font-medium ${
            pathname === workspacePath(slug, t.href) ? "border-indigo-600 text-slate-900" : "border-transparent text-slate-500 hover:text-slate-900"
          }`}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
