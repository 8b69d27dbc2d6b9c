import { BlockList, isIP } from "node:net";
import { cachedEnv } from "../env.ts";
import { peerAddressFrom } from "./peer-address.ts";

/** Used when the peer is unknown (see peer-address.ts): all such clients share one throttling bucket. */
export const UNKNOWN_ADDRESS = "unknown";

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) is 10.0.0.1; anything not an address is null. */
export function normaliseAddress(raw: string): string | null {
  let value = raw.trim();
  // X-Forwarded-For may carry "[v6]:port" or "v4:port" from some proxies
  const bracketed = value.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.replace(/:\d+$/, "");
  const mapped = value.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  if (mapped) value = mapped[1]!;
  const kind = isIP(value);
  if (kind === 0) return null;
  return kind === 6 ? value.toLowerCase() : value;
}

export type TTrustedProxies = { has: (address: string) => boolean; size: number };

/** MODLOOP_TRUSTED_PROXIES: "10.0.0.5, 192.168.0.0/16 ::1" → a matcher. Throws naming a bad entry. */
export function parseTrustedProxies(text: string): TTrustedProxies {
  const list = new BlockList();
  const entries = text.split(/[\s,]+/).filter(Boolean);
  for (const entry of entries) {
    const [rawAddress, prefix, ...rest] = entry.split("/");
    const address = normaliseAddress(rawAddress ?? "");
    const type = address && isIP(address) === 6 ? "ipv6" : "ipv4";
    const bits = prefix === undefined ? undefined : Number(prefix);
    if (!address || rest.length > 0 || (bits !== undefined && (!Number.isInteger(bits) || bits < 0 || bits > (type === "ipv6" ? 128 : 32)))) {
      throw new Error(`MODLOOP_TRUSTED_PROXIES: "${entry}" is not an address or CIDR (examples: 10.0.0.5, 10.0.0.0/8, fd00::/8)`);
    }
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return { has: (a) => list.check(a, isIP(a) === 6 ? "ipv6" : "ipv4"), size: entries.length };
}

/**
 * The client's address as this server can know it: the TCP peer, and then X-Forwarded-For read from
 * right to left only while each hop is a trusted proxy. An entry the client wrote itself (leftmost,
 * or any entry behind an untrusted hop) is never believed, so rotating the header changes nothing.
 */
export function resolveClientAddress({ peer, forwardedFor, trusted }: { peer: string | null; forwardedFor: string | null; trusted: TTrustedProxies }): string {
  let current = peer ? normaliseAddress(peer) : null;
  if (!current) return UNKNOWN_ADDRESS;
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  while (trusted.has(current) && hops.length > 0) {
    const next = normaliseAddress(hops.pop()!);
    // a trusted proxy passed on something that is not an address: stop at the proxy
    if (!next) break;
    current = next;
  }
  return current;
}

let trustedCache: { text: string; trusted: TTrustedProxies } | undefined;

/** The client address of a request reaching a route handler (under `next start` or any Node server). */
export function clientAddress(req: Request): string {
  const text = cachedEnv().MODLOOP_TRUSTED_PROXIES;
  if (trustedCache?.text !== text) trustedCache = { text, trusted: parseTrustedProxies(text) };
  return resolveClientAddress({ peer: peerAddressFrom(req.headers), forwardedFor: req.headers.get("x-forwarded-for"), trusted: trustedCache.trusted });
}
