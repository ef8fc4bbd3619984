/** What the first bytes of a file say about it, for the proxy decoders' accepts(). */
import { fieldsDirective } from './elff-layout.js';

/**
 * The complete non-blank lines of a file's head, without a byte-order mark or CR. The last line
 * counts only when the head ends with a newline or holds the whole file (shorter than asked).
 */
export function headLines(head: Buffer, asked = 16 * 1024): string[] {
  const lines = head.toString('utf8').replace(/^\uFEFF/, '').split('\n');
  if (head.length >= asked && lines.length > 1) lines.pop();
  return lines.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
}

export interface ElffHead {
  /** The #Software directive ("SGOS 6.7.5.14", "Microsoft Internet Information Services 10.0"). */
  readonly software: string | null;
  /** The fields of the last #Fields directive before the first record. */
  readonly fields: readonly string[] | null;
  /** The first line starts with "#": a W3C directive block. */
  readonly directives: boolean;
  /** The first record line. */
  readonly record: string | null;
}

/** The W3C directives at the start of a head, and its first record. */
export function sniffElff(head: Buffer): ElffHead {
  const lines = headLines(head);
  let software: string | null = null;
  let fields: string[] | null = null;
  for (const line of lines) {
    if (!line.startsWith('#')) return { software, fields, directives: lines[0]!.startsWith('#'), record: line };
    fields = fieldsDirective(line) ?? fields;
    if (/^#software:/i.test(line)) software = line.slice('#Software:'.length).trim();
  }
  return { software, fields, directives: lines.length > 0, record: null };
}
