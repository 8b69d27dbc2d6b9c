import { createHash, type Hash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import type { TSnapshotFile } from "@/lib/export/manifest.ts";

const FLUSH_AT = 1 << 20;

/**
 * Appends text or bytes to a file through a 1 MB buffer and hashes what it writes, so the checksum
 * costs no second read. Synchronous writes: the export job yields to the event loop between database
 * batches, and a buffered sync write of 1 MB is faster than the promise machinery around it.
 */
export class HashingFileWriter {
  private readonly fd: number;
  private readonly hash: Hash = createHash("sha256");
  private parts: (string | Uint8Array)[] = [];
  private pending = 0;
  private bytes = 0;

  constructor(
    private readonly absolutePath: string,
    private readonly relativePath: string,
  ) {
    this.fd = openSync(absolutePath, "w");
  }

  write(chunk: string | Uint8Array): void {
    this.parts.push(chunk);
    this.pending += chunk.length;
    if (this.pending >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.concat(this.parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)));
    this.parts = [];
    this.pending = 0;
    this.hash.update(buf);
    let offset = 0;
    while (offset < buf.length) offset += writeSync(this.fd, buf, offset);
    this.bytes += buf.length;
  }

  close(): TSnapshotFile {
    this.flush();
    closeSync(this.fd);
    return { path: this.relativePath, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }
}
