import { createHash, type Hash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import type { TSnapshotFile } from "@/lib/export/manifest.ts";

const BUFFER_BYTES = 1 << 20;

/**
 * Appends text or bytes to a file through one reused 1 MB buffer (strings are UTF-8 encoded straight
 * into it, so a million rows allocate no per-row Buffers) and hashes what it writes, so the checksum
 * costs no second read. Synchronous writes: the export job yields to the event loop between database
 * chunks, and a sync write of 1 MB is cheaper than the promise machinery around an async one.
 */
export class HashingFileWriter {
  private readonly fd: number;
  private readonly hash: Hash = createHash("sha256");
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private bytes = 0;

  constructor(
    absolutePath: string,
    private readonly relativePath: string,
  ) {
    this.fd = openSync(absolutePath, "w");
  }

  write(chunk: string | Uint8Array): void {
    if (typeof chunk === "string") {
      // a UTF-8 character takes at most 3 bytes per UTF-16 unit
      if (this.used + chunk.length * 3 > BUFFER_BYTES) {
        this.flush();
        if (chunk.length * 3 > BUFFER_BYTES) {
          this.emit(Buffer.from(chunk, "utf8"));
          return;
        }
      }
      this.used += this.buffer.write(chunk, this.used, "utf8");
      return;
    }
    if (this.used + chunk.length > BUFFER_BYTES) {
      this.flush();
      if (chunk.length > BUFFER_BYTES) {
        this.emit(chunk);
        return;
      }
    }
    this.buffer.set(chunk, this.used);
    this.used += chunk.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.emit(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private emit(bytes: Uint8Array): void {
    this.hash.update(bytes);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
    this.bytes += bytes.length;
  }

  get bytesWritten(): number {
    return this.bytes + this.used;
  }

  close(): TSnapshotFile {
    this.flush();
    closeSync(this.fd);
    return { path: this.relativePath, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }
}
