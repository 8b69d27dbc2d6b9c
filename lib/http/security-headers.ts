/**
 * The Content-Security-Policy of every page, with this request's nonce: scripts run only when they
 * carry the nonce (Next.js adds it to its own scripts) or are loaded by one that does
 * ('strict-dynamic'), so text that reaches the page from an excerpt, an import or a model manifest can
 * never run as script. Styles may be inline: React's style attributes and the charts need it, and a
 * style cannot run code. Nothing may frame the app (clickjacking) or change its base URL.
 */
export function pageContentSecurityPolicy({ nonce, isDev, isHttps }: { nonce: string; isDev: boolean; isHttps: boolean }): string {
  return [
    "default-src 'self'",
    // React uses eval for its error overlay in development only
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // over plain http (local use) this would send the page's own requests to an https port that is not there
    ...(isHttps ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** A fresh nonce per page view: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
