import { type NextRequest, NextResponse } from "next/server";
import { newNonce, pageContentSecurityPolicy } from "@/lib/http/security-headers.ts";
import { cachedEnv } from "@/server/env.ts";

/**
 * Runs before every page (not API routes or static files, see config): gives the page a
 * Content-Security-Policy with a fresh nonce. Next.js reads the policy from the request headers and
 * puts the nonce on the scripts it renders. The headers that do not change per request (nosniff,
 * Referrer-Policy, X-Frame-Options, and the API routes' own policy) are in next.config.js.
 */
export function proxy(request: NextRequest) {
  const { MODLOOP_PUBLIC_URL, NODE_ENV } = cachedEnv();
  const isHttps = MODLOOP_PUBLIC_URL?.startsWith("https:") ?? false;
  const policy = pageContentSecurityPolicy({ nonce: newNonce(), isDev: NODE_ENV === "development", isHttps });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  if (isHttps) response.headers.set("strict-transport-security", "max-age=31536000");
  return response;
}

export const config = {
  matcher: [
    {
      // Not /api: with a proxy in front, Next.js copies a request's body into memory (cut at 10 MB)
      // before the route reads it, which would defeat the routes' body limits and streaming uploads.
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
