import type { THashedNgramFeaturizer } from "./manifest.ts";

/**
 * fastText-style hashed features for the default quick model: word n-grams and character n-grams
 * of whitespace tokens padded with one space on each side (scikit-learn's `char_wb`), hashed into
 * `buckets` rows of one weight matrix. Pure and allocation-light: the scoring path featurizes tens
 * of thousands of short chat lines per second on one core, so hashing walks char codes in place
 * instead of building n-gram substrings.
 *
 * Word and character blocks are weighted and L2-normalised separately (as a FeatureUnion of two
 * TF-IDF vectorisers would be), so a one-word message and a paragraph land on the same scale.
 */

export type TSparseRows = {
  /** row i owns entries indptr[i] … indptr[i+1]-1 */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  rows: number;
};

export type TPaddedBatch = {
  /** [batch, width] bucket ids; padding holds `buckets`, the all-zero row of the weight matrix */
  indices: BigInt64Array;
  /** [batch, width]; padding holds 0 */
  values: Float32Array;
  batch: number;
  width: number;
};

const WORD_SALT = 0x9e3779b9;
const CHAR_SALT = 0x85ebca6b;
const NGRAM_MIX = 0x9e3779b1;

function fnvStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** murmur3's fmix32: spreads FNV's low-entropy low bits before the modulo */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Letters and digits of any script; emoji (surrogates) count too, general punctuation does not. */
function isWordCode(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  if (c < 0xc0) return false;
  if (c >= 0x2000 && c <= 0x206f) return false; // general punctuation, zero-width spaces
  if (c >= 0x3000 && c <= 0x303f) return false; // CJK punctuation
  return c !== 0xd7 && c !== 0xf7;
}

function isSpaceCode(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0xfeff;
}

/** Resolved settings: manifest fields with their defaults applied. */
export type TFeaturizerSettings = Required<
  Pick<
    THashedNgramFeaturizer,
    "buckets" | "wordNgrams" | "charNgrams" | "lowercase" | "maxFeatures" | "hashSeed" | "squeezeRepeats" | "sublinearTf" | "wordWeight" | "l2Normalize"
  >
>;

export const DEFAULT_FEATURIZER: THashedNgramFeaturizer = {
  type: "hashed-ngrams",
  buckets: 1 << 18,
  wordNgrams: [1, 2],
  charNgrams: [2, 5],
  lowercase: true,
  maxFeatures: 1024,
  hashSeed: 0,
  squeezeRepeats: 3,
  sublinearTf: true,
  wordWeight: 1,
  l2Normalize: true,
};

type TScratch = {
  codes: Uint16Array;
  wordHashes: Int32Array;
  wordBuckets: Int32Array;
  charBuckets: Int32Array;
};

/**
 * A featurizer bound to one configuration. Reuses scratch buffers between calls, so one instance
 * must not be shared across concurrent async work that interleaves inside a call (calls are synchronous).
 */
export class HashedNgramFeaturizer {
  readonly settings: TFeaturizerSettings;
  private readonly wordCap: number;
  private readonly charCap: number;
  private readonly wordSeed: number;
  private readonly charSeed: number;
  private scratch: TScratch;

  constructor(config: THashedNgramFeaturizer) {
    this.settings = { ...DEFAULT_FEATURIZER, ...config } as TFeaturizerSettings;
    const { maxFeatures, wordNgrams, charNgrams, buckets } = this.settings;
    if (buckets < 1 || buckets > 0x7fffffff) throw new Error(`buckets must be in [1, 2^31): ${buckets}`);
    const hasWords = wordNgrams[1] > 0 && wordNgrams[1] >= wordNgrams[0];
    const hasChars = charNgrams[1] > 0 && charNgrams[1] >= charNgrams[0];
    // Characters produce ~4 n-grams per character, words ~2 per word: give words a quarter of the budget.
    this.wordCap = hasWords ? (hasChars ? Math.max(1, Math.floor(maxFeatures / 4)) : maxFeatures) : 0;
    this.charCap = hasChars ? maxFeatures - this.wordCap : 0;
    this.wordSeed = (0x811c9dc5 ^ Math.imul(this.settings.hashSeed + 1, WORD_SALT)) | 0;
    this.charSeed = (0x811c9dc5 ^ Math.imul(this.settings.hashSeed + 1, CHAR_SALT)) | 0;
    this.scratch = {
      codes: new Uint16Array(256),
      wordHashes: new Int32Array(64),
      wordBuckets: new Int32Array(Math.max(1, this.wordCap)),
      charBuckets: new Int32Array(Math.max(1, this.charCap)),
    };
  }

  /** Lowercases and squeezes repeats into the code scratch; returns its length. */
  private normalise(text: string): number {
    const s = this.settings.lowercase ? text.toLowerCase() : text;
    if (this.scratch.codes.length < s.length) this.scratch.codes = new Uint16Array(s.length * 2);
    const codes = this.scratch.codes;
    const squeeze = this.settings.squeezeRepeats;
    let n = 0;
    let run = 0;
    let prev = -1;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      run = c === prev ? run + 1 : 1;
      prev = c;
      if (squeeze > 0 && run > squeeze) continue;
      codes[n++] = c;
    }
    return n;
  }

  private wordBlock(len: number): number {
    const { wordNgrams, buckets } = this.settings;
    const [minN, maxN] = wordNgrams;
    const cap = this.wordCap;
    if (cap === 0) return 0;
    const codes = this.scratch.codes;
    let hashes = this.scratch.wordHashes;
    let words = 0;
    let i = 0;
    while (i < len) {
      if (!isWordCode(codes[i])) {
        i++;
        continue;
      }
      let h = this.wordSeed;
      while (i < len && isWordCode(codes[i])) h = fnvStep(h, codes[i++]);
      if (words === hashes.length) {
        const grown = new Int32Array(hashes.length * 2);
        grown.set(hashes);
        hashes = this.scratch.wordHashes = grown;
      }
      hashes[words++] = h;
    }
    const out = this.scratch.wordBuckets;
    let k = 0;
    for (let w = 0; w < words && k < cap; w++) {
      let h = hashes[w];
      for (let n = 1; n <= maxN && w - n + 1 >= 0; n++) {
        if (n > 1) h = Math.imul(h, NGRAM_MIX) ^ hashes[w - n + 1] ^ n;
        if (n < Math.max(1, minN)) continue;
        if (k === cap) break;
        out[k++] = fmix32(h) % buckets;
      }
    }
    return k;
  }

  private charBlock(len: number): number {
    const { charNgrams, buckets } = this.settings;
    const [minN, maxN] = charNgrams;
    const cap = this.charCap;
    if (cap === 0) return 0;
    const codes = this.scratch.codes;
    const out = this.scratch.charBuckets;
    const seed = this.charSeed;
    let k = 0;
    let i = 0;
    while (i < len && k < cap) {
      if (isSpaceCode(codes[i])) {
        i++;
        continue;
      }
      const start = i;
      while (i < len && !isSpaceCode(codes[i])) i++;
      // padded token: position start-1 and i are virtual spaces
      const padded = i - start + 2;
      const shortest = Math.max(1, minN);
      if (padded < shortest) continue;
      for (let a = 0; a < padded && k < cap; a++) {
        let h = seed;
        const last = Math.min(padded, a + maxN);
        for (let b = a; b < last; b++) {
          const c = b === 0 || b === padded - 1 ? 32 : codes[start + b - 1];
          h = fnvStep(h, c);
          const n = b - a + 1;
          if (n < shortest) continue;
          if (k === cap) break;
          out[k++] = fmix32(h ^ n) % buckets;
        }
      }
    }
    return k;
  }

  /** Sorts a block's buckets, counts duplicates and writes (bucket, weight) pairs; returns entries written. */
  private emitBlock(buf: Int32Array, n: number, weight: number, outIdx: Int32Array, outVal: Float32Array, at: number): number {
    if (n === 0 || weight === 0) return 0;
    const view = buf.subarray(0, n);
    view.sort();
    const { sublinearTf, l2Normalize } = this.settings;
    let w = at;
    let sq = 0;
    let j = 0;
    while (j < n) {
      const b = view[j];
      let count = 1;
      while (j + count < n && view[j + count] === b) count++;
      j += count;
      const v = sublinearTf ? 1 + Math.log(count) : count;
      outIdx[w] = b;
      outVal[w] = v;
      sq += v * v;
      w++;
    }
    const scale = l2Normalize ? weight / Math.sqrt(sq) : weight;
    for (let t = at; t < w; t++) outVal[t] *= scale;
    return w - at;
  }

  /** Features of one text written at `at` into the output arrays (which need maxFeatures free slots). */
  featurizeInto(text: string, outIdx: Int32Array, outVal: Float32Array, at: number): number {
    const len = this.normalise(text);
    const nw = this.wordBlock(len);
    const nc = this.charBlock(len);
    let written = this.emitBlock(this.scratch.wordBuckets, nw, this.settings.wordWeight, outIdx, outVal, at);
    written += this.emitBlock(this.scratch.charBuckets, nc, 1, outIdx, outVal, at + written);
    return written;
  }

  /** Features of one text as fresh arrays (tests, single predictions). */
  featurize(text: string): { indices: Int32Array; values: Float32Array } {
    const idx = new Int32Array(this.settings.maxFeatures);
    const val = new Float32Array(this.settings.maxFeatures);
    const n = this.featurizeInto(text, idx, val, 0);
    return { indices: idx.slice(0, n), values: val.slice(0, n) };
  }

  /** Compressed sparse rows for many texts: what the trainer consumes. */
  featurizeRows(texts: readonly string[]): TSparseRows {
    const maxF = this.settings.maxFeatures;
    let cap = Math.max(maxF, texts.length * 64);
    let indices = new Int32Array(cap);
    let values = new Float32Array(cap);
    const indptr = new Int32Array(texts.length + 1);
    let at = 0;
    for (let r = 0; r < texts.length; r++) {
      if (at + maxF > cap) {
        cap = Math.max(cap * 2, at + maxF);
        const ni = new Int32Array(cap);
        ni.set(indices.subarray(0, at));
        indices = ni;
        const nv = new Float32Array(cap);
        nv.set(values.subarray(0, at));
        values = nv;
      }
      at += this.featurizeInto(texts[r], indices, values, at);
      indptr[r + 1] = at;
    }
    return { indptr, indices: indices.slice(0, at), values: values.slice(0, at), rows: texts.length };
  }

  /** The ONNX model's inputs for a batch: [batch, width] padded to the longest row of the batch. */
  featurizeBatch(texts: readonly string[]): TPaddedBatch {
    const rows = this.featurizeRows(texts);
    return padRows(rows, this.settings.buckets);
  }
}

/** Pads sparse rows into the dense [batch, width] int64/float tensors the ONNX graph takes. */
export function padRows(rows: TSparseRows, padIndex: number): TPaddedBatch {
  const batch = rows.rows;
  let width = 1;
  for (let r = 0; r < batch; r++) width = Math.max(width, rows.indptr[r + 1] - rows.indptr[r]);
  const indices = new BigInt64Array(batch * width);
  const values = new Float32Array(batch * width);
  // Write int64s as (low, high) int32 pairs: converting each id through BigInt() costs 10× more.
  // Bucket ids are < 2^31, so the high word stays 0. Assumes a little-endian host (x86, ARM).
  const words = new Int32Array(indices.buffer);
  for (let r = 0; r < batch; r++) {
    const from = rows.indptr[r];
    const n = rows.indptr[r + 1] - from;
    const base = r * width;
    for (let j = 0; j < n; j++) {
      words[(base + j) * 2] = rows.indices[from + j];
      values[base + j] = rows.values[from + j];
    }
    for (let j = n; j < width; j++) words[(base + j) * 2] = padIndex;
  }
  return { indices, values, batch, width };
}

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
if (!IS_LITTLE_ENDIAN) throw new Error("modloop's featurizer writes int64 tensors assuming a little-endian host");
