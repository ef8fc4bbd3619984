/**
 * W3C extended log files other than Blue Coat's: IIS and the web servers and proxies that write
 * the format ("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip
 * cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"). Fields are read
 * by the names of the "#Fields:" directive, which may change mid-file (IIS writes the directive
 * block again whenever it restarts); lines before any are rejected as no-header. Times are read in
 * ingest.decoders.proxy.timeZone (UTC: IIS always logs UTC); time-taken is in milliseconds.
 * Such logs are the server's own: without cs-host the host is the server's address (s-ip), the
 * port s-port, and '+' in a user agent stands for a space.
 * @module
 */
import { proxy } from '../../schema/index.js';
import type { DecodeContext, RowDecoder, RowSink, SourceFile } from '../decoder.js';
import { isBluecoatHead } from './bluecoat.js';
import { decodeElff, type ElffDialect } from './elff-decoder.js';
import { sniffElff } from './sniff.js';

const W3C: ElffDialect = {
  format: 'w3c',
  positional: () => 'record before the #Fields header that names its fields',
  noLayout: 'no-header',
  serverIsOrigin: true,
};

/** Fields a W3C log of web requests names: the client and what it asked for. */
const REQUEST_FIELDS = ['c-ip', 'cs-uri-stem', 'cs-uri', 'cs-host', 'cs-uri-path'];

export const w3cDecoder: RowDecoder<typeof proxy> = {
  kind: 'rows',
  name: 'w3c',
  table: proxy,
  description: 'W3C extended log files with a #Fields header (IIS and others), plain or gzip',

  accepts(_file: SourceFile, head: Buffer): boolean {
    const fields = sniffElff(head).fields?.map((f) => f.toLowerCase());
    return fields !== undefined && REQUEST_FIELDS.some((f) => fields.includes(f)) && !isBluecoatHead(head);
  },

  decode(file: SourceFile, sink: RowSink<typeof proxy>, ctx: DecodeContext): Promise<void> {
    return decodeElff(W3C, file, sink, ctx);
  },
};
