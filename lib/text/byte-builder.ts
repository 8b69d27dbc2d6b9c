/**
 * Text appended as UTF-8 into one growing Buffer. An import chunk collected as `chunk += line` is a
 * rope of thousands of small strings that lives until the chunk is written: long enough for the young
 * generation to copy each string twice and promote it, and at a million rows that promotion and the
 * old-generation collections it causes were a third of the importer's CPU. Here each line is dead as
 * soon as it is copied in, and the chunk is one off-heap allocation.
 */
export class ByteBuilder {
  private buffer: Buffer;
  private used = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(Math.max(16, initialBytes));
  }

  append(text: string): void {
    // a UTF-8 encoding takes at most 3 bytes per UTF-16 code unit
    const worst = text.length * 3;
    if (this.used + worst > this.buffer.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + worst));
      this.buffer.copy(next, 0, 0, this.used);
      this.buffer = next;
    }
    this.used += this.buffer.write(text, this.used, "utf8");
  }

  get byteLength(): number {
    return this.used;
  }

  /** the bytes so far, copied out; the builder starts empty again and keeps its allocation */
  take(): Buffer {
    const out = Buffer.from(this.buffer.subarray(0, this.used));
    this.used = 0;
    return out;
  }
}
