import type { proxy } from '../../schema/index.js';
import type { RowDecoder } from '../decoder.js';
import { bluecoatDecoder } from './bluecoat.js';
import { squidDecoder } from './squid.js';
import { w3cDecoder } from './w3c.js';
import { zeekHttpDecoder } from './zeek-http.js';

export { bluecoatDecoder, squidDecoder, w3cDecoder, zeekHttpDecoder };

/** The proxy decoders in the order formats are tried; each accepts only its own format, so the order does not decide. */
export const PROXY_DECODERS: readonly RowDecoder<typeof proxy>[] = [zeekHttpDecoder, bluecoatDecoder, w3cDecoder, squidDecoder];
