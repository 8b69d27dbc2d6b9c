import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tarEnd, tarHeader, tarPadding } from "./tar.ts";

describe("tar writer", () => {
  it("produces an archive GNU tar lists and extracts", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "modloop-tar-"));
    const long = `snap-1/${"d".repeat(60)}/${"f".repeat(60)}.jsonl`;
    const files = [
      { name: "snap-1/manifest.json", data: Buffer.from('{"a":1}\n') },
      { name: long, data: Buffer.alloc(1000, 65) },
    ];
    const parts: Uint8Array[] = [];
    for (const f of files) parts.push(tarHeader({ name: f.name, size: f.data.length, mtimeMs: Date.UTC(2026, 10, 1) }), f.data, tarPadding(f.data.length));
    parts.push(tarEnd());
    const archive = path.join(dir, "a.tar");
    writeFileSync(archive, Buffer.concat(parts));
    const listing = execFileSync("tar", ["-tvf", archive], { encoding: "utf8" });
    expect(listing).toContain("snap-1/manifest.json");
    expect(listing).toContain(long);
    expect(listing).toContain("2026-11-01");
    execFileSync("tar", ["-xf", archive, "-C", dir]);
    expect(execFileSync("cat", [path.join(dir, "snap-1/manifest.json")], { encoding: "utf8" })).toBe('{"a":1}\n');
  });

  it("pads to 512-byte blocks", () => {
    expect(tarPadding(0).length).toBe(0);
    expect(tarPadding(1).length).toBe(511);
    expect(tarPadding(512).length).toBe(0);
    expect(tarHeader({ name: "x", size: 1, mtimeMs: 0 }).length).toBe(512);
  });
});
