/**
 * CSRF: whether a state-changing request comes from the app's own pages. Browsers send `Origin` on
 * every cross-origin and same-origin POST/PUT/PATCH/DELETE; `Sec-Fetch-Site: same-origin` is the
 * fallback for the few that leave it out. Same-SITE is not enough (another port or subdomain of the
 * same host is same-site, and SameSite=Lax cookies travel with its requests), so the origin must match
 * exactly: the configured public URL's origin, or else this request's own Host.
 */
export function isSameOriginRequest(opts: {
  origin: string | null;
  secFetchSite: string | null;
  host: string | null;
  publicUrl?: string | undefined;
}): boolean {
  // "null" is what sandboxed frames and cross-origin redirects send: never the app's own page
  if (opts.origin === "null") return false;
  if (opts.origin) {
    let origin: URL;
    try {
      origin = new URL(opts.origin);
    } catch {
      return false;
    }
    if (opts.publicUrl) return origin.origin === new URL(opts.publicUrl).origin;
    return !!opts.host && origin.host.toLowerCase() === opts.host.toLowerCase();
  }
  return opts.secFetchSite === "same-origin";
}

/** Methods that may change state: they need a same-origin request. */
export const isStateChangingMethod = (method: string) => !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
