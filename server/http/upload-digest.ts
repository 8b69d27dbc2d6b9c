import { createHash } from "node:crypto";

/**
 * A sha256 of a streamed request body that two sends of the same form agree on: a multipart body is
 * hashed without its boundary, which the sender draws anew for every send (a browser's retry of the same
 * FormData differs in nothing else). Fed chunk by chunk, so no copy of the body is kept.
 */
export function createUploadDigest(contentType: string | null): { update: (chunk: Uint8Array) => void; digest: () => string } {
  const hash = createHash("sha256");
  const boundary = /^multipart\//i.test(contentType ?? "") ? /;\s*boundary="?([^";]+)"?/i.exec(contentType ?? "")?.[1] : undefined;
  if (!boundary) return { update: (chunk) => hash.update(chunk), digest: () => hash.digest("hex") };
  const pattern = Buffer.from(boundary, "latin1");
  // the last pattern.length - 1 bytes of what came so far: a boundary may start there and end in the next chunk
  let carry = Buffer.alloc(0);
  return {
    update(chunk) {
      const buf = Buffer.concat([carry, chunk]);
      let start = 0;
      for (let at = buf.indexOf(pattern, start); at !== -1; at = buf.indexOf(pattern, start)) {
        hash.update(buf.subarray(start, at));
        start = at + pattern.length;
      }
      const keepFrom = Math.max(start, buf.length - (pattern.length - 1));
      hash.update(buf.subarray(start, keepFrom));
      carry = Buffer.from(buf.subarray(keepFrom));
    },
    digest() {
      hash.update(carry);
      return hash.digest("hex");
    },
  };
}
