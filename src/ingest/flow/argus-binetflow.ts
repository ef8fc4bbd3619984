import { isIPv6 } from 'node:net';
import { EXCERPT_MAX, flow, type FlowRow } from '../../schema/index.js';
import { InputError } from '../../shared/errors.js';
import { normaliseProto } from '../../shared/iana-proto.js';
import { canonicalIp } from '../../shared/ip.js';
import { markLast } from '../../shared/iterate.js';
import { canonicalMac } from '../../shared/mac.js';
import { FieldError, fieldValue, hasUndecodableBytes, icmpPort, parseCount, parsePort, parseUint, PORT_MAX, required } from '../../shared/record-fields.js';
import { flagsText, NO_FLAGS, TCP_FLAG } from '../../shared/tcp-flags.js';
import { decimalSecondsToMicros, zonedToMicros } from '../../shared/time.js';
import { parseWallClock } from '../../shared/wall-clock.js';
import type { DecodeContext, RowDecoder, RowSink, SourceFile } from '../decoder.js';
import { firstTextLine, readLines } from '../source.js';

/** Columns a header must name, lower-cased: ra prints its labels in mixed case (sTos, SrcAddr). */
const REQUIRED = ['starttime', 'proto', 'srcaddr', 'dstaddr'] as const;

interface ArgusHeader {
  readonly delimiter: string;
  readonly columns: number;
  readonly index: ReadonlyMap<string, number>;
}

/** The header line of ra's output ("StartTime,Dur,Proto,SrcAddr,…"), or null when the line is not one. */
function parseArgusHeader(line: string): ArgusHeader | null {
  const delimiter = line.includes('\t') ? '\t' : ',';
  const names = line.split(delimiter).map((n) => n.trim().toLowerCase());
  const index = new Map(names.map((n, i) => [n, i]));
  if (!REQUIRED.every((n) => index.has(n))) return null;
  return { delimiter, columns: names.length, index };
}

/** The header names the counters ipkt and ibyt come from. */
function hasCounters(header: ArgusHeader): boolean {
  const has = (n: string) => header.index.has(n);
  return (has('totpkts') || has('srcpkts')) && (has('totbytes') || has('srcbytes'));
}

/** A source or destination: an IP address, or for non-IP flows (ARP, LLC) a MAC address. */
function address(field: string, text: string): string {
  const value = canonicalIp(text) ?? canonicalMac(text);
  if (value === null) throw new FieldError('bad-field', `${fieldValue(field, text)} is neither an IP nor a MAC address`);
  return value;
}

/** A port: decimal, hexadecimal as Argus prints ICMP ("0x0008"), or empty when the protocol has none. */
function port(field: string, text: string): number {
  if (text === '') return 0;
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) {
    const n = parseInt(text, 16);
    if (n > PORT_MAX) throw new FieldError('out-of-range', `${fieldValue(field, text)} is outside 0-${PORT_MAX}`);
    return n;
  }
  return parsePort(field, text);
}

const ECHO_TYPES = new Set([0, 8, 128, 129]);

/**
 * nfdump's ICMP port (type * 256 + code) from Argus's two ICMP fields. Argus up to 3.0.8 prints
 * the type and code bytes as one little-endian word in Sport ("0x0403": type 3, code 4) and the
 * ICMP id in Dport; later clients print the type in Sport and the code in Dport.
 */
export function argusIcmpPort(sport: number, dport: number): number {
  if (sport > 0xff) return icmpPort('Sport', sport & 0xff, sport >> 8);
  // A Dport beyond one byte is an id, not a code; echo messages have no code at all.
  const code = dport > 0xff || ECHO_TYPES.has(sport) ? 0 : dport;
  return icmpPort('Sport/Dport', sport, code);
}

const STATE_FLAGS: Readonly<Record<string, number>> = { F: TCP_FLAG.FIN, S: TCP_FLAG.SYN, R: TCP_FLAG.RST, P: TCP_FLAG.PSH, A: TCP_FLAG.ACK, U: TCP_FLAG.URG, E: TCP_FLAG.ECE, C: TCP_FLAG.CWR };

/** TCP flags from an Argus State printed with -Z b ("SPA_SPA": source flags, destination flags), else null. */
export function argusStateFlags(state: string): string | null {
  const m = /^([FSRPAUEC]*)_([FSRPAUEC]*)$/.exec(state);
  if (!m) return null;
  let bits = 0;
  for (const letter of m[1]! + m[2]!) bits |= STATE_FLAGS[letter]!;
  return flagsText(bits);
}

function startTime(field: string, text: string, timeZone: string): number {
  const clock = parseWallClock(text);
  const micros = clock ? zonedToMicros(clock, timeZone) : /^\d+(\.\d+)?$/.test(text) ? decimalSecondsToMicros(text) : null;
  if (micros === null) throw new FieldError('bad-timestamp', `${fieldValue(field, text)} is not a date and time (YYYY/MM/DD HH:MM:SS.ffffff)`);
  return micros;
}

function difference(total: number | null, part: number | null, field: string): number | null {
  if (total === null || part === null) return null;
  if (total < part) throw new FieldError('out-of-range', `${field}: total ${total} is less than the source's ${part}`);
  return total - part;
}

/** One ra record as a flow row; throws FieldError when a field does not fit. */
function argusRow(header: ArgusHeader, fields: readonly string[], timeZone: string, sensor: string | null): FlowRow {
  const get = (name: string): string => {
    const i = header.index.get(name);
    return i === undefined ? '' : fields[i]!.trim();
  };
  const countOf = (name: string, label: string): number | null => (get(name) === '' ? null : parseCount(label, get(name)));
  const tstart = startTime('StartTime', required('StartTime', get('starttime')), timeZone);
  const dur = get('dur');
  const durMicros = dur === '' ? null : decimalSecondsToMicros(dur);
  if (dur !== '' && durMicros === null) throw new FieldError('bad-field', `${fieldValue('Dur', dur)} is not a duration in seconds`);
  const last = get('lasttime');
  const tend = durMicros !== null ? tstart + durMicros : last !== '' ? startTime('LastTime', last, timeZone) : tstart;
  const sip = address('SrcAddr', required('SrcAddr', get('srcaddr')));
  const dip = address('DstAddr', required('DstAddr', get('dstaddr')));
  const proto = normaliseProto(required('Proto', get('proto')), isIPv6(sip) || isIPv6(dip));
  let sport = port('Sport', get('sport'));
  let dport = port('Dport', get('dport'));
  if (proto === 'ICMP' || proto === 'ICMP6') {
    dport = argusIcmpPort(sport, dport);
    sport = 0;
  }
  const totPkts = countOf('totpkts', 'TotPkts');
  const srcPkts = countOf('srcpkts', 'SrcPkts');
  const totBytes = countOf('totbytes', 'TotBytes');
  const srcBytes = countOf('srcbytes', 'SrcBytes');
  const state = get('state') || null;
  const tos = (name: string, label: string) => (get(name) === '' ? null : parseUint(label, get(name), 255));
  return {
    treceived: tend,
    sip,
    dip,
    sport,
    dport,
    proto,
    flag: proto !== 'TCP' ? NO_FLAGS : state === null ? null : argusStateFlags(state),
    fwd: null,
    stos: tos('stos', 'sTos'),
    // Without SrcPkts the packets of both directions cannot be told apart: all go to ipkt.
    ipkt: required('SrcPkts/TotPkts', srcPkts ?? totPkts),
    ibyt: required('SrcBytes/TotBytes', srcBytes ?? totBytes),
    opkt: countOf('dstpkts', 'DstPkts') ?? difference(totPkts, srcPkts, 'TotPkts'),
    obyt: countOf('dstbytes', 'DstBytes') ?? difference(totBytes, srcBytes, 'TotBytes'),
    input: null,
    output: null,
    sas: null,
    das: null,
    dtos: tos('dtos', 'dTos'),
    dir: null,
    rip: null,
    tstart,
    tend,
    sensor,
    state,
    uid: null,
    label: get('label') || null,
  };
}

export const argusBinetflowDecoder: RowDecoder<typeof flow> = {
  kind: 'rows',
  name: 'argus-binetflow',
  table: flow,
  description: 'Argus ra output (binetflow), comma- or tab-separated with a header line',

  accepts(_file: SourceFile, head: Buffer): boolean {
    const first = firstTextLine(head);
    return first !== undefined && parseArgusHeader(first) !== null;
  },

  async decode(file: SourceFile, sink: RowSink<typeof flow>, ctx: DecodeContext): Promise<void> {
    const { maxLineBytes } = ctx.config;
    const timeZone = ctx.config.decoders.argus.timeZone;
    let header: ArgusHeader | null = null;
    const lines = markLast(readLines(file.path, maxLineBytes), (l) => l.tooLong || /\S/.test(l.text));
    for await (const { item: l, last } of lines) {
      ctx.signal.throwIfAborted();
      const at = { line: l.line, offset: l.offset };
      const excerpt = () => l.text.slice(0, EXCERPT_MAX);
      if (l.tooLong) {
        sink.reject('line-too-long', at, `line longer than ${maxLineBytes} bytes (ingest.maxLineBytes)`, excerpt());
        continue;
      }
      if (hasUndecodableBytes(l.text)) {
        sink.reject('bad-record', at, 'the line holds bytes that are not UTF-8 text', excerpt());
        continue;
      }
      const text = l.line === 1 ? l.text.replace(/^\uFEFF/, '') : l.text;
      // Concatenated ra outputs repeat the header line.
      const next = /starttime/i.test(text) ? parseArgusHeader(text) : null;
      if (next) {
        if (!hasCounters(next)) throw new InputError(file.path, 'the header names no packet or byte counts (TotPkts or SrcPkts, TotBytes or SrcBytes)', at);
        header = next;
        continue;
      }
      if (!header) {
        sink.reject('no-header', at, 'record before the header line (StartTime,Dur,Proto,SrcAddr,…)', excerpt());
        continue;
      }
      const fields = text.split(header.delimiter);
      if (fields.length !== header.columns) {
        const detail = `${fields.length} fields, the header names ${header.columns}`;
        if (last && fields.length < header.columns) sink.reject('truncated', at, `the file ends in the middle of a record: ${detail}`, excerpt());
        else sink.reject('wrong-field-count', at, detail, excerpt());
        continue;
      }
      try {
        sink.append(argusRow(header, fields, timeZone, ctx.sensor), { line: l.line });
      } catch (e) {
        if (!(e instanceof FieldError)) throw e;
        sink.reject(e.reason, at, e.detail, excerpt());
      }
    }
  },
};
