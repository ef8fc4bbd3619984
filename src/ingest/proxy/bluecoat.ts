/**
 * Blue Coat (Symantec, Broadcom) ProxySG access logs in ELFF, the W3C extended format ProxySG
 * writes. Fields are read by the names of the "#Fields:" directive, which may change mid-file;
 * lines before any such directive follow Spot's order (27 fields) or bcreportermain_v1 (36 or 42
 * fields, see bluecoat-layouts.ts). Times are "date time" in ingest.decoders.proxy.timeZone (UTC,
 * as ProxySG logs by default); time-taken is in milliseconds. serverip is the upstream address the
 * log names first of r-ip, s-supplier-ip and s-ip (the appliance's own address: Spot's choice,
 * kept only for logs that name no other).
 * @module
 */
import { proxy } from '../../schema/index.js';
import type { DecodeContext, RowDecoder, RowSink, SourceFile } from '../decoder.js';
import { headerlessLayout } from './bluecoat-layouts.js';
import { decodeElff, type ElffDialect } from './elff-decoder.js';
import { isBluecoatField } from './elff-layout.js';
import { sniffElff } from './sniff.js';
import { splitQuoted } from './tokens.js';

const BLUECOAT: ElffDialect = { format: 'bluecoat', positional: headerlessLayout, noLayout: 'wrong-field-count', serverIsOrigin: false };

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[ \t]+\d{2}:\d{2}:\d{2}[ \t]/;

/** A head that is Blue Coat's: said by #Software or by Blue Coat field names, or a headerless line of a known layout. */
export function isBluecoatHead(head: Buffer): boolean {
  const elff = sniffElff(head);
  if (elff.software !== null && /^SGOS\b/i.test(elff.software)) return true;
  if (elff.fields !== null) return elff.fields.some(isBluecoatField);
  if (elff.directives || elff.record === null || !DATE_TIME.test(elff.record)) return false;
  return typeof headerlessLayout(splitQuoted(elff.record, [])) !== 'string';
}

export const bluecoatDecoder: RowDecoder<typeof proxy> = {
  kind: 'rows',
  name: 'bluecoat',
  table: proxy,
  description: 'Blue Coat ProxySG access logs (ELFF/W3C with #Fields, or headerless in Spot order or bcreportermain_v1), plain or gzip',

  accepts(_file: SourceFile, head: Buffer): boolean {
    return isBluecoatHead(head);
  },

  decode(file: SourceFile, sink: RowSink<typeof proxy>, ctx: DecodeContext): Promise<void> {
    return decodeElff(BLUECOAT, file, sink, ctx);
  },
};
