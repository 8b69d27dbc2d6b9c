import { describe, expect, it } from "vitest";
import { createUploadDigest } from "./upload-digest.ts";

const digestOf = (contentType: string | null, body: string, chunkSize: number) => {
  const d = createUploadDigest(contentType);
  const bytes = Buffer.from(body);
  for (let i = 0; i < bytes.length; i += chunkSize) d.update(bytes.subarray(i, i + chunkSize));
  return d.digest();
};

const form = (boundary: string, file: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\ncsv\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n${file}\r\n--${boundary}--\r\n`;

describe("createUploadDigest", () => {
  it("two sends of one form agree whatever their boundaries and however the body is chunked; another file differs", () => {
    const first = digestOf("multipart/form-data; boundary=----AaB03x", form("----AaB03x", "text\nhello\n"), 7);
    for (const size of [1, 3, 10, 1000]) {
      expect(digestOf('multipart/form-data; boundary="----ZzY77q"', form("----ZzY77q", "text\nhello\n"), size)).toBe(first);
    }
    expect(digestOf("multipart/form-data; boundary=----AaB03x", form("----AaB03x", "text\nhullo\n"), 7)).not.toBe(first);
  });

  it("any other body is hashed as it is", () => {
    expect(digestOf("application/octet-stream", "abc", 1)).toBe(digestOf(null, "abc", 2));
    expect(digestOf(null, "abc", 1)).not.toBe(digestOf(null, "abd", 1));
  });
});
