/**
 * A webhook's URL: https only, so the signed body and its secret-derived signature never cross a network
 * in clear. Plain http is allowed for a receiver on this machine (127.0.0.1, localhost, ::1) only when
 * the operator says so (MODLOOP_WEBHOOK_ALLOW_HTTP_LOCALHOST=1: development and tests).
 */
export function checkWebhookUrl(raw: string, opts: { isLocalHttpAllowed: boolean }): { url: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: `url: "${raw.slice(0, 80)}" is not a URL; give the full https://… address of your receiver.` };
  }
  if (url.username || url.password) return { error: "url: do not put credentials in the URL; the signature header authenticates each delivery." };
  if (url.protocol === "https:") return { url: url.toString() };
  const isLocal = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol === "http:" && isLocal && opts.isLocalHttpAllowed) return { url: url.toString() };
  if (url.protocol === "http:" && isLocal) {
    return { error: "url: plain http is allowed only for a local receiver with MODLOOP_WEBHOOK_ALLOW_HTTP_LOCALHOST=1 (development); use https:// otherwise." };
  }
  return { error: `url: webhooks are delivered over https only (got ${url.protocol}//…).` };
}
