"use client";

import { createContext, useContext, type ReactNode } from "react";
import { workspaceApiPath } from "@/lib/workspace/paths.ts";

type TWorkspaceContext = { slug: string; name: string };

const WorkspaceContext = createContext<TWorkspaceContext | null>(null);

/** Set by the /w/[workspace] layout: every hook below it talks to that workspace's API. */
export function WorkspaceProvider({ slug, name, children }: TWorkspaceContext & { children: ReactNode }) {
  return <WorkspaceContext.Provider value={{ slug, name }}>{children}</WorkspaceContext.Provider>;
}

/** The workspace of the current page (throws outside /w/[workspace]: a hook there would have no workspace to ask). */
export function useWorkspace(): TWorkspaceContext {
  const ctx = useContext(WorkspaceContext);
  if (!ctx) throw new Error("useWorkspace() needs a <WorkspaceProvider> (pages under /w/[workspace])");
  return ctx;
}

/**
 * The slug, a path builder for its API, and the prefix of every TanStack query key, so two
 * workspaces never share cached data (two tabs, or switching workspace in one).
 */
export function useWorkspaceApi() {
  const { slug } = useWorkspace();
  return { slug, api: (rest: string) => workspaceApiPath(slug, rest), key: ["w", slug] as const };
}
