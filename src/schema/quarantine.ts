import { col, defineTable, type RowOf } from './define.js';

/**
 * Why a record was not ingested. A closed list, so that summaries can count by reason.
 * Kept in one place: decoders and the lake writer both pick from it.
 */
export const REJECT_REASONS = {
  'bad-field': 'a field could not be read as its type (number, address, time)',
  'missing-field': 'a required field is empty',
  'out-of-range': 'a number lies outside its column range (ports 0-65535, counters >= 0)',
  'bad-timestamp': 'a time could not be parsed',
  'wrong-field-count': 'the record has more or fewer fields than its header announces',
  'bad-record': 'the record cannot be split into fields (broken quoting, binary data)',
  'line-too-long': 'the line is longer than the decoder accepts',
  'no-header': 'records appear before the header that describes them',
  truncated: 'the file ends in the middle of a record',
  'decoder-error': 'the decoder stopped on this file; the records before this point were kept',
} as const;

export type RejectReason = keyof typeof REJECT_REASONS;

/** Quarantined records: one file per source under <lake>/quarantine/<type>/. */
export const quarantine = defineTable(
  'quarantine',
  {
    ingested: col.timestamp('When the record was quarantined, UTC.', { required: true }),
    type: col.text('Lake table the record was meant for: flow, dns or proxy.', { required: true }),
    source: col.text('Absolute path of the source file.', { required: true }),
    decoder: col.text('Decoder that read the file (nfcapd, nfdump-csv, zeek-conn, argus-binetflow …).', { required: true }),
    line: col.bigint('1-based line of the record in a text file, or record number for binary files.'),
    offset: col.bigint('Byte offset of the record in the file, when the decoder knows it.'),
    reason: col.text('Why it was rejected: one of the reasons listed in docs/schema.md.', { required: true }),
    detail: col.text('What exactly was wrong, e.g. the field name and its value.'),
    excerpt: col.text('The start of the raw record (at most 512 characters).'),
  },
  { partitionBy: 'ingested', description: 'Records that could not be ingested, with where they were and why.' },
);

export type QuarantineRow = RowOf<typeof quarantine>;

export const EXCERPT_MAX = 512;
