"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useLogout } from "@/components/hooks/use-logout.ts";
import { ROLE_LABELS, type TRole, type TSessionUser } from "@/lib/auth/roles.ts";
import { switchWorkspacePath, workspacePath } from "@/lib/workspace/paths.ts";
import type { TUserWorkspace } from "@/lib/workspace/types.ts";
import { LogoMark } from "./logo.tsx";
import type { TNavItem } from "./nav-items.ts";

type TAppHeaderProps = {
  user: TSessionUser;
  /** the user's role in this workspace */
  role: TRole;
  items: TNavItem[];
  workspace: { slug: string; name: string };
  /** every workspace the user can open, for the switcher */
  workspaces: TUserWorkspace[];
};

export function AppHeader({ user, role, items, workspace, workspaces }: TAppHeaderProps) {
  const pathname = usePathname();
  const router = useRouter();
  const logout = useLogout();
  const [isMenuOpen, setMenuOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!isMenuOpen) return;
    const close = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node)) setMenuOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [isMenuOpen]);

  const signOut = () =>
    logout.mutate(undefined, {
      onSettled: () => {
        router.replace("/login");
        router.refresh();
      },
    });

  // "admin/users" is active on every admin page, "excerpts" on an excerpt's page too
  const isActive = (href: string) => {
    const section = workspacePath(workspace.slug, href.split("/")[0]);
    return pathname === section || pathname.startsWith(`${section}/`);
  };

  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-11 max-w-[1400px] items-center gap-6 px-4">
        <Link href="/" className="flex items-center gap-2">
          <LogoMark />
          <span className="font-semibold tracking-tight">modloop</span>
        </Link>
        <WorkspaceSwitcher current={workspace} workspaces={workspaces} pathname={pathname} />
        <nav aria-label="Main" className="flex items-center gap-1">
          {items.map((item) => (
            <Link
              key={item.href}
              href={workspacePath(workspace.slug, item.href)}
              className={`rounded px-2.5 py-1 text-[13px] font-medium ${
                isActive(item.href) ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
              }`}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="relative ml-auto" ref={menuRef}>
          <button
            type="button"
            onClick={() => setMenuOpen((v) => !v)}
            aria-haspopup="menu"
            aria-expanded={isMenuOpen}
            className="flex items-center gap-2 rounded px-2 py-1 text-[13px] hover:bg-slate-100"
          >
            <span className="flex h-6 w-6 items-center justify-center rounded-full bg-slate-200 text-[11px] font-semibold text-slate-700">
              {user.name.slice(0, 1).toUpperCase()}
            </span>
            <span className="hidden text-left leading-tight sm:block">
              <span className="block font-medium">{user.name}</span>
              <span className="block text-[11px] text-slate-500">{ROLE_LABELS[role]}</span>
            </span>
          </button>
          {isMenuOpen && (
            <div role="menu" className="absolute right-0 mt-1 w-56 rounded-md border border-slate-200 bg-white py-1 shadow-lg">
              <div className="border-b border-slate-100 px-3 py-2 text-xs text-slate-500">{user.email}</div>
              <button type="button" role="menuitem" onClick={signOut} className="block w-full px-3 py-1.5 text-left text-[13px] hover:bg-slate-50">
                {logout.isPending ? "Signing out…" : "Sign out"}
              </button>
            </div>
          )}
        </div>
      </div>
    </header>
  );
}

/**
 * The workspaces the user belongs to; choosing one opens the same section there (Queue stays Queue).
 * A plain <select> so it works from the keyboard; the current workspace's name is always visible.
 */
function WorkspaceSwitcher({ current, workspaces, pathname }: { current: { slug: string; name: string }; workspaces: TUserWorkspace[]; pathname: string }) {
  const router = useRouter();
  if (workspaces.length <= 1) {
    return (
      <span className="hidden text-xs text-slate-600 sm:inline" data-testid="workspace-name">
        {current.name}
      </span>
    );
  }
  return (
    <label className="flex items-center gap-1 text-xs text-slate-500">
      <span className="sr-only">Workspace</span>
      <select
        aria-label="Workspace"
        value={current.slug}
        onChange={(e) => router.push(switchWorkspacePath(pathname, e.target.value))}
        className="max-w-48 rounded border border-slate-200 bg-white px-1.5 py-0.5 text-xs text-slate-700"
      >
        {workspaces.map((w) => (
          <option key={w.slug} value={w.slug}>
            {w.name}
            {w.isArchived ? " (archived)" : ""}
          </option>
        ))}
      </select>
    </label>
  );
}
