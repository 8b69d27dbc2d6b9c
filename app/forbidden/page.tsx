import Link from "next/link";

export default function ForbiddenPage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-sm rounded-lg border border-slate-200 bg-white p-6 text-center shadow-sm">
        <h1 className="text-base font-semibold">You do not have access to that page</h1>
        <p className="mt-2 text-slate-600">Your role does not include it. Ask an admin if you need access.</p>
        <Link href="/" className="mt-4 inline-block text-indigo-600 hover:underline">
          Back to your start page
        </Link>
      </div>
    </main>
  );
}
