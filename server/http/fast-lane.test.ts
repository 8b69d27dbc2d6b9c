import { describe, expect, it } from "vitest";
import { fastLaneMatcher, type TRouteHandler } from "./fast-lane.ts";

const post: TRouteHandler = async () => new Response("post");
const get: TRouteHandler = async () => new Response("get");
const match = fastLaneMatcher([
  { path: "/api/w/:workspace/queue/claim", module: { POST: post } },
  { path: "/api/w/:workspace/queue/progress", module: { GET: get, runtime: "nodejs" } },
]);

describe("fastLaneMatcher", () => {
  it("matches a route's path and method and reads its segments", () => {
    expect(match("POST", "/api/w/demo/queue/claim")).toEqual({ handler: post, params: { workspace: "demo" } });
    expect(match("POST", "/api/w/demo/queue/claim?limit=5")).toEqual({ handler: post, params: { workspace: "demo" } });
    expect(match("GET", "/api/w/my-team/queue/progress")).toEqual({ handler: get, params: { workspace: "my-team" } });
  });

  it("leaves everything else to Next.js: other methods, paths, and paths Next.js would normalise first", () => {
    // a method the module does not export: Next.js answers it (405), as it would without the fast lane
    expect(match("GET", "/api/w/demo/queue/claim")).toBeNull();
    expect(match("PROPFIND", "/api/w/demo/queue/claim")).toBeNull();
    // a non-function export is not a handler
    expect(match("RUNTIME", "/api/w/demo/queue/progress")).toBeNull();
    for (const url of [
      "/api/w/demo/queue/claim/",
      "/api/w/demo/queue",
      "/api/w//queue/claim",
      "/api/w/demo/queue/claim/extra",
      "/api/w/de%6do/queue/claim",
      "/api/w/./queue/claim",
      "/api/w/demo/../demo/queue/claim",
      "/w/demo/queue",
      "/",
    ]) {
      expect(match("POST", url), url).toBeNull();
    }
  });
});
