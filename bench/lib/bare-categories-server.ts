/**
 * The floor under the framework for bench/http.ts: a bare node:http server doing the same lookup and
 * query as the minimal Next.js route (bench/next-floor/lookup.js) at GET /api/w/<slug>/categories.
 *   tsx bench/lib/bare-categories-server.ts <port>     (DATABASE_URL from the environment)
 */
import http from "node:http";
// @ts-expect-error plain JavaScript shared with the minimal Next.js app, which has no types
import { lookupCategories, tokenFromCookie } from "../next-floor/lookup.js";

const port = Number(process.argv[2]);
const server = http.createServer(async (req, res) => {
  const slug = /^\/api\/w\/([^/]+)\/categories/.exec(req.url ?? "")?.[1];
  try {
    const { status, body } = slug
      ? ((await lookupCategories(tokenFromCookie(req.headers.cookie), slug)) as { status: number; body: unknown })
      : { status: 404, body: { error: { code: "NOT_FOUND" } } };
    const json = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json), "cache-control": "no-store" });
    res.end(json);
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
