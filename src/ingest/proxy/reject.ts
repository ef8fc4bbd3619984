import { EXCERPT_MAX, type proxy, type RejectReason } from '../../schema/index.js';
import { FieldError } from '../../shared/record-fields.js';
import type { RowSink } from '../decoder.js';

/** Quarantine one line of a proxy log with where it is, why, and its start. */
export function rejectLine(sink: RowSink<typeof proxy>, reason: RejectReason, line: number, offset: number, detail: string, text: string): void {
  sink.reject(reason, { line, offset }, detail, text.slice(0, EXCERPT_MAX));
}

/** A line whose shape is not the format's: it cannot be cut into fields. */
export class BadRecord extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'BadRecord';
  }
}

/** A FieldError or BadRecord of a line quarantined; any other error is a bug and goes on. */
export function rejectFieldError(sink: RowSink<typeof proxy>, e: unknown, line: number, offset: number, text: string): void {
  if (e instanceof FieldError) rejectLine(sink, e.reason, line, offset, e.detail, text);
  else if (e instanceof BadRecord) rejectLine(sink, 'bad-record', line, offset, e.detail, text);
  else throw e;
}

/** Field count against the layout: a short last line without its newline is a cut-off write. */
export function rejectFieldCount(sink: RowSink<typeof proxy>, count: number, expected: number, layout: string, line: number, offset: number, unterminated: boolean, text: string): void {
  const detail = `${count} fields, ${layout} names ${expected}`;
  if (unterminated && count < expected) rejectLine(sink, 'truncated', line, offset, `the file ends in the middle of a record: ${detail}`, text);
  else rejectLine(sink, 'wrong-field-count', line, offset, detail, text);
}
