import { endianness } from 'node:os';
import { LdaModel } from './model.js';

/*
 * A fitted model as bytes, for saving one per day: the magic "SPTLDA01", the length of a JSON
 * header (u32, little-endian), the header, zero padding to a multiple of 8, then λ as K × nWords
 * little-endian Float64, topic-major. The header is small; λ is the model (16 MB for 20 × 10⁵).
 */

const MAGIC = 'SPTLDA01';
const FORMAT = 'spothreat-lda';

interface Header {
  readonly format: typeof FORMAT;
  readonly version: 1;
  readonly nTopics: number;
  readonly nWords: number;
  readonly alpha: number;
  readonly beta: number;
  readonly maxDocUpdateIter: number;
  readonly meanChangeTol: number;
  /** The caller's own JSON: the day, the corpus it came from, … */
  readonly meta?: unknown;
}

if (endianness() !== 'LE') throw new Error('the LDA model format is written for little-endian machines');

export function encodeModel(model: LdaModel, meta?: unknown): Uint8Array {
  const header: Header = { format: FORMAT, version: 1, ...model.settings, nWords: model.nWords, ...(meta === undefined ? {} : { meta }) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((MAGIC.length + 4 + json.length) / 8) * 8;
  const bytes = new Uint8Array(start + model.lambda.byteLength);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, json.length, true);
  bytes.set(json, MAGIC.length + 4);
  new Float64Array(bytes.buffer, start, model.lambda.length).set(model.lambda);
  return bytes;
}

/** The model, and the meta it was saved with. Throws on bytes that are not a whole model file. */
export function decodeModel(bytes: Uint8Array): { model: LdaModel; meta: unknown } {
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) throw new Error('not a Spothreat LDA model file');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + length))) as Header;
  if (header.format !== FORMAT || header.version !== 1) throw new Error(`unsupported LDA model format ${header.format} v${header.version}`);
  const start = Math.ceil((MAGIC.length + 4 + length) / 8) * 8;
  const values = header.nTopics * header.nWords;
  if (bytes.length !== start + values * 8) throw new Error(`LDA model file is ${bytes.length} bytes, expected ${start + values * 8}`);
  // Copied: the bytes of a file read by Node need not start at a multiple of 8.
  const lambda = new Float64Array(values);
  new Uint8Array(lambda.buffer).set(bytes.subarray(start));
  const { nTopics, alpha, beta, maxDocUpdateIter, meanChangeTol } = header;
  return { model: new LdaModel({ nTopics, alpha, beta, maxDocUpdateIter, meanChangeTol }, header.nWords, lambda), meta: header.meta };
}
