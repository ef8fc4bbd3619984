import { isIPv6 } from 'node:net';
import { EXCERPT_MAX, flow, type FlowRow } from '../../schema/index.js';
import { normaliseProto } from '../../shared/iana-proto.js';
import { markLast } from '../../shared/iterate.js';
import { FieldError, fieldValue, hasUndecodableBytes, icmpPort, parseAddress, parseCount, parsePort, parseUint } from '../../shared/record-fields.js';
import { flagsText, parseFlagsText } from '../../shared/tcp-flags.js';
import { decimalSecondsToMicros, zonedToMicros } from '../../shared/time.js';
import { parseWallClock } from '../../shared/wall-clock.js';
import type { DecodeContext, RowDecoder, RowSink, SourceFile } from '../decoder.js';
import { firstTextLine, readLines } from '../source.js';

type Role =
  | 'tstart' | 'tend' | 'duration' | 'treceived' | 'sip' | 'dip' | 'sport' | 'dport' | 'icmpType' | 'icmpCode' | 'proto' | 'flag'
  | 'fwd' | 'stos' | 'dtos' | 'ipkt' | 'ibyt' | 'opkt' | 'obyt' | 'input' | 'output' | 'sas' | 'das' | 'dir' | 'rip';

/**
 * nfdump's CSV column names, by what they hold: the short names of the ≤ 1.7.4 layout (ts, sa …)
 * and the names of ≥ 1.7.5, used by its default CSV, csv-fast and custom csv:%… formats.
 */
const ROLES: ReadonlyMap<string, Role> = new Map(
  Object.entries({
    ts: 'tstart', firstSeen: 'tstart', te: 'tend', lastSeen: 'tend', td: 'duration', duration: 'duration', tr: 'treceived', received: 'treceived',
    sa: 'sip', srcAddr: 'sip', da: 'dip', dstAddr: 'dip', sp: 'sport', srcPort: 'sport', dp: 'dport', dstPort: 'dport',
    icmpTYpe: 'icmpType', icmpType: 'icmpType', icmpCode: 'icmpCode', pr: 'proto', proto: 'proto', flg: 'flag', flags: 'flag',
    fwd: 'fwd', fwdStatus: 'fwd', stos: 'stos', srcTos: 'stos', tos: 'stos', dtos: 'dtos', dstTos: 'dtos',
    ipkt: 'ipkt', inPackets: 'ipkt', packets: 'ipkt', ibyt: 'ibyt', inBytes: 'ibyt', bytes: 'ibyt',
    opkt: 'opkt', outPackets: 'opkt', obyt: 'obyt', outBytes: 'obyt', in: 'input', input: 'input', out: 'output', output: 'output',
    sas: 'sas', srcAS: 'sas', das: 'das', dstAS: 'das', dir: 'dir', direction: 'dir', ra: 'rip', routerIP: 'rip',
  } satisfies Record<string, Role>),
);

const REQUIRED_ROLES: readonly Role[] = ['tstart', 'sip', 'dip', 'proto', 'ipkt', 'ibyt'];

interface NfdumpHeader {
  /** Column names as the header spells them, for details. */
  readonly names: readonly string[];
  readonly index: ReadonlyMap<Role, number>;
}

/** A CSV header line nfdump wrote, or null when the line is not one. */
function parseNfdumpHeader(line: string): NfdumpHeader | null {
  const names = line.split(',').map((n) => n.trim());
  if (!names.every((n) => /^[A-Za-z][A-Za-z0-9]*$/.test(n))) return null;
  const index = new Map<Role, number>();
  names.forEach((n, i) => {
    const role = ROLES.get(n);
    if (role && !index.has(role)) index.set(role, i);
  });
  return REQUIRED_ROLES.every((r) => index.has(r)) ? { names, index } : null;
}

/** The lines of nfdump's closing summary, which -q leaves out. */
const SUMMARY_TITLE = 'Summary';
const SUMMARY_HEADER = 'flows,bytes,packets,avg_bps,avg_pps,avg_bpp';
const SUMMARY_VALUES = /^[\d.,\s]+$/;
const NO_MATCHING_FLOWS = 'No matching flows';

/** nfdump prints an unset time as zeros: 1.7.5 writes this, 1.7.1 the epoch in local time. */
const ZERO_TIME = /^0000-00-00 00:00:00(\.0+)?$/;

/** Durations beyond this many seconds are 1.7.1's unsigned wrap-arounds of a negative one. */
const DURATION_MAX_SECONDS = 2 ** 32;

/**
 * A time as nfdump prints it: "YYYY-MM-DD HH:MM:SS[.mmm]" in the given zone (%ts, %te, %tr),
 * epoch seconds with a fraction (%tsr), or epoch milliseconds (csv-fast). Null for nfdump's zero time.
 */
function nfdumpTime(field: string, text: string, timeZone: string): number | null {
  if (ZERO_TIME.test(text)) return null;
  const clock = parseWallClock(text);
  if (clock) return zonedToMicros(clock, timeZone);
  if (/^\d+\.\d+$/.test(text)) return decimalSecondsToMicros(text);
  if (/^\d{12,16}$/.test(text)) return Number(text) * 1000;
  if (/^\d{1,11}$/.test(text)) return Number(text) * 1_000_000;
  throw new FieldError('bad-timestamp', `${fieldValue(field, text)} is not a time (YYYY-MM-DD HH:MM:SS[.mmm] or epoch)`);
}

type TimeReader = (field: string, text: string) => number | null;

/** nfdumpTime in one zone, remembering recent texts: consecutive records mostly share their times. */
function nfdumpTimeReader(timeZone: string): TimeReader {
  const cache = new Map<string, number | null>();
  return (field, text) => {
    const known = cache.get(text);
    if (known !== undefined) return known;
    const micros = nfdumpTime(field, text, timeZone);
    if (cache.size >= 1024) cache.clear();
    cache.set(text, micros);
    return micros;
  };
}

function unsetStart(field: string, text: string): never {
  throw new FieldError('bad-timestamp', `${fieldValue(field, text)}: the flow has no start time`);
}

/** A destination port, or ICMP type and code as ≥ 1.7.5 prints them ("3.1"). */
function dstPort(field: string, text: string): number {
  const dotted = /^(\d{1,3})\.(\d{1,3})$/.exec(text);
  return dotted ? icmpPort(field, Number(dotted[1]), Number(dotted[2])) : parsePort(field, text);
}

function direction(field: string, text: string): number {
  if (text === '0' || text === 'I') return 0;
  if (text === '1' || text === 'E') return 1;
  throw new FieldError('bad-field', `${fieldValue(field, text)} is not a direction (0/I ingress, 1/E egress)`);
}

const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;

/** One CSV record as a flow row; throws FieldError when a field does not fit. */
function nfdumpRow(header: NfdumpHeader, fields: readonly string[], time: TimeReader, sensor: string | null): FlowRow {
  const { names } = header;
  const cell = (role: Role): { name: string; text: string } | null => {
    const i = header.index.get(role);
    if (i === undefined) return null;
    const text = fields[i]!.trim();
    return text === '' ? null : { name: names[i]!, text };
  };
  const read = <T>(role: Role, parse: (name: string, text: string) => T): T | null => {
    const c = cell(role);
    return c === null ? null : parse(c.name, c.text);
  };
  const need = <T>(role: Role, parse: (name: string, text: string) => T): T => {
    const c = cell(role);
    if (c === null) throw new FieldError('missing-field', `${names[header.index.get(role)!]} is empty`);
    return parse(c.name, c.text);
  };
  const uint = (max: number) => (name: string, text: string) => parseUint(name, text, max);

  const tstart = need('tstart', (name, text) => time(name, text) ?? unsetStart(name, text));
  const sip = need('sip', parseAddress);
  const dip = need('dip', parseAddress);
  const proto = normaliseProto(need('proto', (_, text) => text), isIPv6(sip) || isIPv6(dip));
  const seconds = read('duration', (name, text) => {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new FieldError('bad-field', `${fieldValue(name, text)} is not a duration in seconds`);
    return Math.abs(Number(text)) < DURATION_MAX_SECONDS ? decimalSecondsToMicros(text) : null;
  });
  const tend = read('tend', time) ?? (seconds === null ? tstart : tstart + seconds);
  let dport = read('dport', dstPort) ?? 0;
  const icmpType = read('icmpType', uint(255));
  if ((proto === 'ICMP' || proto === 'ICMP6') && icmpType !== null) dport = icmpPort('icmpType/icmpCode', icmpType, read('icmpCode', uint(255)) ?? 0);
  // 1.7.1 prints the receive time of records that have none as the epoch.
  const received = read('treceived', time);
  return {
    treceived: received ? received : tend,
    sip,
    dip,
    sport: read('sport', parsePort) ?? 0,
    dport,
    proto,
    flag: read('flag', (name, text) => {
      const bits = parseFlagsText(text);
      if (bits === null) throw new FieldError('bad-field', `${fieldValue(name, text)} is not a set of TCP flags`);
      return flagsText(bits);
    }),
    fwd: read('fwd', uint(255)),
    stos: read('stos', uint(255)),
    ipkt: need('ipkt', parseCount),
    ibyt: need('ibyt', parseCount),
    opkt: read('opkt', parseCount),
    obyt: read('obyt', parseCount),
    input: read('input', uint(INT32_MAX)),
    output: read('output', uint(INT32_MAX)),
    sas: read('sas', uint(UINT32_MAX)),
    das: read('das', uint(UINT32_MAX)),
    dtos: read('dtos', uint(255)),
    dir: read('dir', direction),
    rip: read('rip', parseAddress),
    tstart,
    tend,
    sensor,
    state: null,
    uid: null,
    label: null,
  };
}

export const nfdumpCsvDecoder: RowDecoder<typeof flow> = {
  kind: 'rows',
  name: 'nfdump-csv',
  table: flow,
  description: 'CSV written by nfdump -o csv (any version), csv-fast or csv:%… formats',

  accepts(_file: SourceFile, head: Buffer): boolean {
    const first = firstTextLine(head);
    return first !== undefined && parseNfdumpHeader(first) !== null;
  },

  async decode(file: SourceFile, sink: RowSink<typeof flow>, ctx: DecodeContext): Promise<void> {
    const { maxLineBytes } = ctx.config;
    const time = nfdumpTimeReader(ctx.config.decoders.nfdumpCsv.timeZone);
    let header: NfdumpHeader | null = null;
    let summary: 'none' | 'title' | 'header' = 'none';
    const lines = markLast(readLines(file.path, maxLineBytes), (l) => l.tooLong || /\S/.test(l.text));
    for await (const { item: l, last } of lines) {
      ctx.signal.throwIfAborted();
      const at = { line: l.line, offset: l.offset };
      const excerpt = () => l.text.slice(0, EXCERPT_MAX);
      if (l.tooLong) {
        sink.reject('line-too-long', at, `line longer than ${maxLineBytes} bytes (ingest.maxLineBytes)`, excerpt());
        continue;
      }
      const text = (l.line === 1 ? l.text.replace(/^\uFEFF/, '') : l.text).trim();
      // nfdump ends its output, unless run with -q, with a three-line summary.
      if (text === SUMMARY_TITLE) {
        summary = 'title';
        continue;
      }
      if (summary === 'title' && text === SUMMARY_HEADER) {
        summary = 'header';
        continue;
      }
      const summaryValues = summary === 'header' && SUMMARY_VALUES.test(text);
      summary = 'none';
      if (summaryValues || text === NO_MATCHING_FLOWS) continue;
      if (hasUndecodableBytes(text)) {
        sink.reject('bad-record', at, 'the line holds bytes that are not UTF-8 text', excerpt());
        continue;
      }
      // Concatenated outputs repeat the header, possibly of another nfdump version.
      const next = /^[A-Za-z]/.test(text) ? parseNfdumpHeader(text) : null;
      if (next) {
        header = next;
        continue;
      }
      if (!header) {
        sink.reject('no-header', at, 'record before the CSV header line (ts,te,td,sa,da,… or firstSeen,…,srcAddr,…)', excerpt());
        continue;
      }
      const fields = text.split(',');
      if (fields.length !== header.names.length) {
        const detail = `${fields.length} fields, the header names ${header.names.length}`;
        if (last && fields.length < header.names.length) sink.reject('truncated', at, `the file ends in the middle of a record: ${detail}`, excerpt());
        else sink.reject('wrong-field-count', at, detail, excerpt());
        continue;
      }
      try {
        sink.append(nfdumpRow(header, fields, time, ctx.sensor), { line: l.line });
      } catch (e) {
        if (!(e instanceof FieldError)) throw e;
        sink.reject(e.reason, at, e.detail, excerpt());
      }
    }
  },
};
