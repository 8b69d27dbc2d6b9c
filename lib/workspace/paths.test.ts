import { describe, expect, it } from "vitest";
import { parseBigIntPathId, parseIntPathId, ZBigIntId, ZIntId } from "../http/ids.ts";
import { isSameOriginRequest } from "../http/same-origin.ts";
import { landingPathFor, switchWorkspacePath, workspaceApiPath, workspacePath } from "./paths.ts";

describe("workspace paths", () => {
  it("builds page and API paths with the slug", () => {
    expect(workspacePath("arena", "queue")).toBe("/w/arena/queue");
    expect(workspacePath("arena")).toBe("/w/arena");
    expect(workspaceApiPath("arena", "/queue/claim")).toBe("/api/w/arena/queue/claim");
  });

  it("lands each role on its page", () => {
    expect(landingPathFor("a", "moderator")).toBe("/w/a/queue");
    expect(landingPathFor("a", "manager")).toBe("/w/a/dashboard");
    expect(landingPathFor("a", "data_scientist")).toBe("/w/a/models");
    expect(landingPathFor("a", "admin")).toBe("/w/a/dashboard");
  });

  it("switching keeps the section but drops ids that belong to the old workspace", () => {
    expect(switchWorkspacePath("/w/a/queue", "b")).toBe("/w/b/queue");
    expect(switchWorkspacePath("/w/a/excerpts/123", "b")).toBe("/w/b/excerpts");
    expect(switchWorkspacePath("/w/a/admin/taxonomy", "b")).toBe("/w/b/admin/taxonomy");
    expect(switchWorkspacePath("/workspaces", "b")).toBe("/w/b");
  });
});

describe("ids", () => {
  it("path ids outside INTEGER / BIGINT cannot name a row", () => {
    expect(parseIntPathId("2147483647")).toBe(2147483647);
    for (const bad of ["2147483648", "0", "-1", "01", "1e3", "", undefined, "99999999999999999999"]) expect(parseIntPathId(bad)).toBeNull();
    expect(parseBigIntPathId("9223372036854775807")).toBe("9223372036854775807");
    for (const bad of ["9223372036854775808", "99999999999999999999", "0", "x"]) expect(parseBigIntPathId(bad)).toBeNull();
  });

  it("query and body ids are refused with a message outside the range", () => {
    expect(ZIntId.safeParse("2147483648").success).toBe(false);
    expect(ZIntId.parse("12")).toBe(12);
    expect(ZBigIntId.safeParse("9223372036854775808").success).toBe(false);
    expect(ZBigIntId.parse("42")).toBe("42");
  });
});

describe("same origin", () => {
  const base = { secFetchSite: null, host: "app.test:3000" };
  it("matches the Host, or the configured public URL when there is one", () => {
    expect(isSameOriginRequest({ ...base, origin: "http://app.test:3000" })).toBe(true);
    expect(isSameOriginRequest({ ...base, origin: "http://app.test:3001" })).toBe(false);
    expect(isSameOriginRequest({ ...base, origin: "https://mod.example.com", publicUrl: "https://mod.example.com" })).toBe(true);
    expect(isSameOriginRequest({ ...base, origin: "http://app.test:3000", publicUrl: "https://mod.example.com" })).toBe(false);
  });
  it("without Origin, only Sec-Fetch-Site: same-origin passes", () => {
    expect(isSameOriginRequest({ ...base, origin: null, secFetchSite: "same-origin" })).toBe(true);
    expect(isSameOriginRequest({ ...base, origin: null, secFetchSite: "same-site" })).toBe(false);
    expect(isSameOriginRequest({ ...base, origin: null })).toBe(false);
    expect(isSameOriginRequest({ ...base, origin: "null", secFetchSite: "same-origin" })).toBe(false);
  });
});
