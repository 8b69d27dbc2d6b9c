/**
 * Minimal POSIX ustar writer for streaming a snapshot folder as one archive. Every header uses the
 * snapshot's own time and fixed owner/mode, so the archive of a snapshot is byte-stable too.
 */

const BLOCK = 512;

export function tarHeader(entry: { name: string; size: number; mtimeMs: number; mode?: number }): Uint8Array {
  const header = new Uint8Array(BLOCK);
  const enc = new TextEncoder();
  let name = entry.name;
  let prefix = "";
  if (enc.encode(name).length > 100) {
    const cut = name.lastIndexOf("/", name.length - 1);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (cut < 0 || enc.encode(name).length > 100 || enc.encode(prefix).length > 155) throw new Error(`tar: path too long: ${entry.name}`);
  }
  const put = (offset: number, length: number, value: string) => {
    const bytes = enc.encode(value);
    if (bytes.length > length) throw new Error(`tar: field too long: ${value}`);
    header.set(bytes, offset);
  };
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, "0");
  if (entry.size < 0 || entry.size >= 8 ** 11) throw new Error(`tar: file too large: ${entry.name}`);
  put(0, 100, name);
  put(100, 8, octal(entry.mode ?? 0o644, 8));
  put(108, 8, octal(0, 8));
  put(116, 8, octal(0, 8));
  put(124, 12, octal(entry.size, 12));
  put(136, 12, octal(Math.floor(entry.mtimeMs / 1000), 12));
  put(148, 8, "        ");
  put(156, 1, "0");
  put(257, 6, "ustar\u0000");
  put(263, 2, "00");
  put(265, 32, "modloop");
  put(297, 32, "modloop");
  put(345, 155, prefix);
  let sum = 0;
  for (const b of header) sum += b;
  put(148, 8, `${sum.toString(8).padStart(6, "0")}\u0000 `);
  return header;
}

/** Zero bytes that pad a file's content to a whole block. */
export function tarPadding(size: number): Uint8Array {
  return new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Two empty blocks end the archive. */
export function tarEnd(): Uint8Array {
  return new Uint8Array(BLOCK * 2);
}
