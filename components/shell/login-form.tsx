"use client";

import { useRef, useState, type FormEvent } from "react";
import { ROLE_LABELS } from "@/lib/auth/roles.ts";
import type { TDemoAccounts } from "@/lib/demo/contract.ts";
import { useLogin } from "@/components/hooks/use-login.ts";

export function LoginForm({ demo = null }: { demo?: TDemoAccounts | null }) {
  const submitRef = useRef<HTMLButtonElement>(null);
  const login = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(
      { email, password },
      {
        // A full page load, not router.replace + refresh: the two raced on a cold server (the workspace page
        // rendered while the address bar stayed on /login), and nothing cached while signed out should survive.
        onSuccess: (res) => window.location.replace(res.redirectTo),
      },
    );
  };

  return (
    <form onSubmit={onSubmit} className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm" noValidate>
      <h1 className="mb-4 text-base font-semibold">Sign in</h1>
      {login.error && (
        <div role="alert" className="mb-4 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {login.error.message}
        </div>
      )}
      <label className="block text-xs font-medium text-slate-600" htmlFor="email">
        Email
      </label>
      <input
        id="email"
        name="email"
        type="email"
        autoComplete="username"
        autoFocus
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        className="mt-1 mb-3 w-full rounded-md border border-slate-300 bg-white px-3 py-2 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
      />
      <label className="block text-xs font-medium text-slate-600" htmlFor="password">
        Password
      </label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        className="mt-1 mb-4 w-full rounded-md border border-slate-300 bg-white px-3 py-2 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
      />
      <button
        ref={submitRef}
        type="submit"
        disabled={login.isPending}
        className="w-full rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {login.isPending ? "Signing in…" : "Sign in"}
      </button>
      {demo && (
        <div className="mt-5 border-t border-slate-200 pt-4" data-testid="demo-accounts">
          <h2 className="text-xs font-semibold text-slate-700">Demo accounts</h2>
          <p className="mb-2 text-xs text-slate-600">
            This instance runs the demo. Pick a role to fill in its account (password <code className="font-mono">{demo.password}</code>), then press{" "}
            <kbd>Enter</kbd>.
          </p>
          <ul className="grid grid-cols-1 gap-1">
            {demo.users.map((u) => (
              <li key={u.email}>
                <button
                  type="button"
                  onClick={() => {
                    setEmail(u.email);
                    setPassword(demo.password);
                    submitRef.current?.focus();
                  }}
                  className="flex w-full items-center justify-between rounded-md border border-slate-200 px-2.5 py-1.5 text-left text-[13px] hover:border-indigo-300 hover:bg-indigo-50"
                >
                  <span className="font-medium">{ROLE_LABELS[u.role]}</span>
                  <span className="truncate pl-2 text-xs text-slate-600">{u.email}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
