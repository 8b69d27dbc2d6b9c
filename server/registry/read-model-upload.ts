import path from "node:path";
import { Readable, Transform, Writable } from "node:stream";
import type { ReadableStream as TWebReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import busboy from "busboy";
import { AppError } from "@/lib/errors.ts";
import type { TUploadedFile } from "./unpack-model-upload.ts";

/**
 * Caps on a model upload, checked while it streams, so no upload can make the server hold more than
 * what it would keep anyway. A fine-tuned transformer is a few hundred MB of weights that barely
 * compress (about 1.1 : 1), its tokenizer.json a few MB of JSON (4–10 : 1).
 */
export const MODEL_UPLOAD_LIMITS = {
  /** all files together, after decompression */
  maxTotalBytes: 1024 ** 3,
  /** per kept file, by kind */
  maxJsonBytes: 64 * 1024 ** 2,
  /** files in the form, and entries in an archive (kept or skipped) */
  maxFiles: 8,
  maxArchiveEntries: 256,
  /**
   * Decompressed bytes per compressed byte read, past the first 16 MiB: a gzip bomb (1 GiB of zeros
   * in 4.7 MB is 220 : 1) is stopped after ~16 MiB instead of being inflated in memory.
   */
  maxCompressionRatio: 50,
  ratioFloorBytes: 16 * 1024 ** 2,
} as const;

export type TModelUploadLimits = typeof MODEL_UPLOAD_LIMITS;

const tooLarge = (message: string) => new AppError("PAYLOAD_TOO_LARGE", message);
const mb = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;

/** Only these files of a model folder are kept; everything else in an archive is skipped unread. */
const isKept = (name: string) => {
  const base = path.posix.basename(name.replaceAll("\\", "/"));
  return !base.startsWith(".") && (base.endsWith(".json") || base.endsWith(".onnx"));
};

/** Collects one kept file's bytes, refusing past its cap. */
function collector(name: string, limits: TModelUploadLimits) {
  const chunks: Buffer[] = [];
  let size = 0;
  const cap = name.endsWith(".onnx") ? limits.maxTotalBytes : limits.maxJsonBytes;
  return {
    push(chunk: Buffer) {
      size += chunk.length;
      if (size > cap)
        throw tooLarge(
          `${path.posix.basename(name)} is larger than ${mb(cap)}; a model folder's ${name.endsWith(".onnx") ? "ONNX file" : "JSON files"} must be smaller.`,
        );
      chunks.push(chunk);
    },
    done: (): TUploadedFile => ({ name, bytes: new Uint8Array(Buffer.concat(chunks, size)) }),
  };
}

/**
 * Reads a tar stream entry by entry (ustar/GNU headers; pax and long-name records are skipped like
 * any other non-file entry), keeping only model files and never buffering the rest.
 */
function tarExtractor(limits: TModelUploadLimits, kept: TUploadedFile[]): Writable {
  let header = Buffer.alloc(0);
  let remaining = 0; // data bytes left in the current entry
  let padding = 0;
  let entries = 0;
  let current: ReturnType<typeof collector> | null = null;
  let isEnded = false;
  const text = (buf: Buffer, from: number, len: number) =>
    buf
      .subarray(from, from + len)
      .toString("utf8")
      .replace(/\0[\s\S]*$/, "");

  return new Writable({
    write(chunk: Buffer, _enc, callback) {
      try {
        let offset = 0;
        while (offset < chunk.length && !isEnded) {
          if (remaining > 0) {
            const take = Math.min(remaining, chunk.length - offset);
            current?.push(chunk.subarray(offset, offset + take));
            remaining -= take;
            offset += take;
            if (remaining === 0 && current) {
              kept.push(current.done());
              current = null;
            }
            continue;
          }
          if (padding > 0) {
            const skip = Math.min(padding, chunk.length - offset);
            padding -= skip;
            offset += skip;
            continue;
          }
          const need = 512 - header.length;
          header = Buffer.concat([header, chunk.subarray(offset, offset + need)]);
          offset += Math.min(need, chunk.length - offset);
          if (header.length < 512) continue;
          const name = text(header, 0, 100);
          if (name === "") {
            isEnded = true; // end-of-archive block: whatever follows is padding
            header = Buffer.alloc(0);
            break;
          }
          if (++entries > limits.maxArchiveEntries)
            throw tooLarge(`The archive has more than ${limits.maxArchiveEntries} entries; upload only the model folder.`);
          const size = parseInt(text(header, 124, 12).trim() || "0", 8);
          if (!Number.isFinite(size) || size < 0) throw new AppError("VALIDATION", `The archive is not a tar file (entry ${entries} has no readable size).`);
          const type = String.fromCharCode(header[156] || 48);
          const prefix = text(header, 345, 155);
          const fullName = prefix ? `${prefix}/${name}` : name;
          current = (type === "0" || type === "\0") && size > 0 && isKept(fullName) ? collector(fullName, limits) : null;
          if ((type === "0" || type === "\0") && size === 0 && isKept(fullName)) kept.push({ name: fullName, bytes: new Uint8Array(0) });
          remaining = size;
          padding = (512 - (size % 512)) % 512;
          header = Buffer.alloc(0);
        }
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    final(callback) {
      callback(remaining > 0 || header.length > 0 ? new AppError("VALIDATION", "The archive is truncated: upload the whole .tar.gz again.") : null);
    },
  });
}

/** Counts bytes going into and out of decompression; refuses past the total and the ratio caps. */
function decompressionGuard(limits: TModelUploadLimits, compressedSoFar: () => number): Transform {
  let out = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      out += chunk.length;
      if (out > limits.maxTotalBytes)
        return callback(tooLarge(`The archive unpacks to more than ${mb(limits.maxTotalBytes)}; a model folder must be smaller.`));
      if (out > limits.ratioFloorBytes && out > compressedSoFar() * limits.maxCompressionRatio) {
        return callback(
          tooLarge(
            `The archive unpacks to more than ${limits.maxCompressionRatio} times its size, which no model folder does; it looks like a decompression bomb. Upload the real model folder.`,
          ),
        );
      }
      callback(null, chunk);
    },
  });
}

async function readArchive(file: Readable, fileName: string, limits: TModelUploadLimits): Promise<TUploadedFile[]> {
  const kept: TUploadedFile[] = [];
  let compressed = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      compressed += chunk.length;
      callback(null, chunk);
    },
  });
  const isGzip = /gz$/i.test(fileName);
  try {
    if (isGzip)
      await pipeline(
        file,
        counter,
        createGunzip(),
        decompressionGuard(limits, () => compressed),
        tarExtractor(limits, kept),
      );
    else
      await pipeline(
        file,
        decompressionGuard(limits, () => Infinity),
        tarExtractor(limits, kept),
      );
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code ?? "";
    if (code.startsWith("Z_")) throw new AppError("VALIDATION", `${fileName} is not a valid gzip file: ${(err as Error).message}`);
    throw err;
  }
  return kept;
}

/**
 * Streams a model upload (multipart "files": one .tar / .tar.gz of the folder, or its files one by
 * one) into the files unpackModelUpload reads, enforcing MODEL_UPLOAD_LIMITS as the bytes arrive:
 * archives are decompressed in a stream, entries other than .json/.onnx are skipped without being
 * kept, and a bomb is stopped by the ratio and total caps long before it fills memory.
 */
export async function readModelUpload(request: Request, limits: TModelUploadLimits = MODEL_UPLOAD_LIMITS): Promise<TUploadedFile[]> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data") || !request.body) {
    throw new AppError("BAD_INPUT", 'Send the model as multipart/form-data with one or more "files" fields.');
  }
  const parser = busboy({ headers: { "content-type": contentType }, limits: { files: limits.maxFiles, fields: 10, fieldSize: 64 * 1024 } });
  const files: TUploadedFile[] = [];
  const pending: Promise<void>[] = [];
  let total = 0;

  const done = new Promise<void>((resolve, reject) => {
    const fail = (err: unknown) => {
      parser.removeAllListeners("file");
      reject(err);
    };
    parser.on("file", (field, stream, info) => {
      if (field !== "files") {
        stream.resume();
        return;
      }
      const name = info.filename || "upload";
      if (/\.(tar|tar\.gz|tgz)$/i.test(name)) {
        pending.push(readArchive(stream, name, limits).then((kept) => void files.push(...kept), fail));
        return;
      }
      const file = collector(name, limits);
      stream.on("data", (chunk: Buffer) => {
        try {
          total += chunk.length;
          if (total > limits.maxTotalBytes) throw tooLarge(`The upload is larger than ${mb(limits.maxTotalBytes)}; a model folder must be smaller.`);
          file.push(chunk);
        } catch (err) {
          stream.destroy();
          fail(err);
        }
      });
      pending.push(new Promise<void>((res) => stream.on("end", () => res(void files.push(file.done())))));
    });
    parser.on("filesLimit", () =>
      fail(tooLarge(`Upload at most ${limits.maxFiles} files: the model folder's manifest.json, model.onnx and tokenizer.json, or one .tar.gz of it.`)),
    );
    parser.on("error", fail);
    parser.on("close", () => Promise.all(pending).then(() => resolve(), fail));
  });

  const body = Readable.fromWeb(request.body as TWebReadableStream<Uint8Array>);
  body.on("error", (err) => parser.destroy(err));
  body.pipe(parser);
  try {
    await done;
  } catch (err) {
    body.destroy();
    // a byte cap placed on the body stream by the route fails it with its own AppError, possibly as the cause
    const cause = (err as { cause?: unknown })?.cause;
    if (!(err instanceof AppError) && cause instanceof AppError) throw cause;
    throw err;
  }
  return files;
}
