import { describe, expect, it } from "vitest";
import { ByteBuilder } from "./byte-builder.ts";

describe("ByteBuilder", () => {
  it("collects appended text as UTF-8, growing past its first allocation", () => {
    const b = new ByteBuilder(16);
    const parts = ["gg ez\t", "ünïcödé\n", "😀 emoji\n", "x".repeat(1000), "\\N\n"];
    for (const p of parts) b.append(p);
    const expected = Buffer.from(parts.join(""), "utf8");
    expect(b.byteLength).toBe(expected.length);
    expect(b.take().equals(expected)).toBe(true);
  });

  it("starts empty after take and the taken bytes stay intact when it is reused", () => {
    const b = new ByteBuilder(16);
    b.append("first chunk\n");
    const first = b.take();
    expect(b.byteLength).toBe(0);
    b.append("second\n");
    expect(first.toString("utf8")).toBe("first chunk\n");
    expect(b.take().toString("utf8")).toBe("second\n");
  });

  it("keeps surrogate pairs and lone surrogates as Buffer.from would", () => {
    const b = new ByteBuilder(4);
    const text = "a\uD83D\uDE00b\uD800c";
    b.append(text);
    expect(b.take().equals(Buffer.from(text, "utf8"))).toBe(true);
  });

  it("takes an empty buffer when nothing was appended", () => {
    expect(new ByteBuilder().take().length).toBe(0);
  });
});
