import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";

/**
 * Next.js gives route handlers a web Request without the TCP peer's address, and it only fills
 * X-Forwarded-For with that address when the client sent none — so a handler cannot tell a
 * proxy-added entry from one the client made up. instrumentation.ts calls installPeerAddressStamp()
 * once at server start; from then on every request entering any HTTP server of this process carries
 * the socket's remote address in PEER_HEADER, behind a per-process secret the client cannot know (a
 * forged header is overwritten, and one that does not carry the secret is ignored).
 */
export const PEER_HEADER = "x-modloop-peer";
const STATE = Symbol.for("modloop.peerAddressStamp");

type TGlobalWithStamp = typeof globalThis & { [STATE]?: { secret: string } };

export function installPeerAddressStamp(): void {
  const g = globalThis as TGlobalWithStamp;
  if (g[STATE]) return;
  const secret = randomBytes(16).toString("hex");
  g[STATE] = { secret };
  for (const ServerClass of [http.Server, https.Server]) {
    const proto = ServerClass.prototype as { emit: (event: string | symbol, ...args: unknown[]) => boolean };
    const original = proto.emit;
    proto.emit = function emitWithPeer(this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const req = args[0] as http.IncomingMessage;
        req.headers[PEER_HEADER] = `${secret} ${req.socket?.remoteAddress ?? ""}`;
      }
      return original.call(this, event, ...args);
    };
  }
}

/** The TCP peer stamped on this request, or null (stamp not installed, or a header the client forged). */
export function peerAddressFrom(headers: Headers): string | null {
  const state = (globalThis as TGlobalWithStamp)[STATE];
  const value = headers.get(PEER_HEADER);
  if (!state || !value) return null;
  const space = value.indexOf(" ");
  if (space < 0 || value.slice(0, space) !== state.secret) return null;
  return value.slice(space + 1) || null;
}
