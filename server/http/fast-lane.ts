import type { IncomingMessage, ServerResponse } from "node:http";
import { setClientGoneSignal } from "./client-gone.ts";
import { Readable } from "node:stream";
import { PEER_HEADER } from "../auth/peer-address.ts";
import { errorResponse } from "./route.ts";

/**
 * The queue's hot endpoints served straight from node:http, beside Next.js in the same process
 * (server/web/start-web-server.ts). Each request still goes through its route module's own handler —
 * the same `withRoute` wrapper (CSRF, body limit, session, workspace, role, idempotency) and the same
 * contract as when Next.js serves it — only Next.js's router and base server are skipped, which were
 * most of the web process's CPU per queue request (bench/http-profile.md). Every other path goes to
 * Next.js unchanged.
 */

/** A route module's exported handler, as Next.js calls it. */
export type TRouteHandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** One fast-lane route: a path pattern with `:name` segments and the route module (its GET/POST/… exports). */
export type TFastRoute = { path: string; module: Partial<Record<string, unknown>> };

type TCompiled = { segments: string[]; module: Partial<Record<string, unknown>> };

export type TFastMatch = { handler: TRouteHandler; params: Record<string, string> };

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

/** Compiles the table once; the matcher answers null for anything it does not serve (Next.js does). */
export function fastLaneMatcher(routes: TFastRoute[]): (method: string, url: string) => TFastMatch | null {
  const compiled: TCompiled[] = routes.map((r) => ({ segments: r.path.split("/"), module: r.module }));
  return (method, url) => {
    if (!METHODS.has(method)) return null;
    const query = url.indexOf("?");
    const pathname = query < 0 ? url : url.slice(0, query);
    // percent-encoded, dot or doubled segments are left to Next.js's own normalisation
    if (pathname.includes("%") || pathname.includes("//") || pathname.includes("/.")) return null;
    const parts = pathname.split("/");
    for (const route of compiled) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let isMatch = true;
      for (let i = 0; i < parts.length && isMatch; i++) {
        const want = route.segments[i]!;
        if (want.startsWith(":")) {
          if (parts[i] === "") isMatch = false;
          else params[want.slice(1)] = parts[i]!;
        } else if (want !== parts[i]) isMatch = false;
      }
      if (!isMatch) continue;
      const handler = route.module[method];
      return typeof handler === "function" ? { handler: handler as TRouteHandler, params } : null;
    }
    return null;
  };
}

/** Bodies up to this size with a declared length are read into memory at once; others stream to the handler. */
const BUFFERED_BODY_BYTES = 64 * 1024;

/** The web Request a route handler expects, from node's request (headers as sent, body untouched). */
export async function toWebRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  // the peer stamp (server/auth/peer-address.ts) is set on req.headers after the raw headers were read
  const peer = req.headers[PEER_HEADER];
  if (typeof peer === "string") headers.set(PEER_HEADER, peer);
  const url = origin + req.url;
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared <= BUFFERED_BODY_BYTES) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return new Request(url, { method, headers, body: Buffer.concat(chunks) });
  }
  // too big or chunked: the handler reads it as a stream and stops at its own limit (withRoute)
  return new Request(url, { method, headers, body: Readable.toWeb(req) as ReadableStream, duplex: "half" } as RequestInit);
}

/** Writes a route handler's Response to node's response, with the headers every API answer carries. */
export async function writeWebResponse(res: ServerResponse, response: Response, fixedHeaders: [string, string][], req?: IncomingMessage): Promise<void> {
  res.statusCode = response.status;
  // answered before the body was read (a 413 from the declared length, a refusal): the unread rest would
  // be taken for the next request on this keep-alive socket, so this answer closes it
  if (req && !req.complete) res.setHeader("connection", "close");
  for (const [name, value] of fixedHeaders) res.setHeader(name, value);
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  const body = Buffer.from(await response.arrayBuffer());
  res.setHeader("content-length", body.byteLength);
  res.end(body);
}

/** Serves one matched request. Never throws: a failure becomes the wrapper's JSON 500. */
export async function serveFastLane(
  match: TFastMatch,
  req: IncomingMessage,
  res: ServerResponse,
  opts: { origin: string; fixedHeaders: [string, string][] },
): Promise<void> {
  let response: Response;
  // aborts when the client goes away before its answer is written (Next.js does this with request.signal)
  const gone = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) gone.abort(new DOMException("The client closed the connection", "AbortError"));
  };
  res.once("close", onClose);
  try {
    const request = await toWebRequest(req, opts.origin);
    setClientGoneSignal(request, gone.signal);
    response = await match.handler(request, { params: Promise.resolve(match.params) });
  } catch (err) {
    response = errorResponse(err);
  }
  try {
    await writeWebResponse(res, response, opts.fixedHeaders, req);
  } catch (err) {
    console.error("[web] fast lane: could not write the response", (err as Error).message);
    res.destroy();
  }
}
