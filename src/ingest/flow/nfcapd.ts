import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { StagedField, StagedLayout } from '../../lake/staged.js';
import { flow } from '../../schema/index.js';
import { InputError } from '../../shared/errors.js';
import { protoNames } from '../../shared/iana-proto.js';
import type { DecodeContext, SourceFile, ToolDecoder, ToolRun } from '../decoder.js';
import { nfdumpStat, nfdumpVersion } from '../../shared/nfdump.js';
import { copyWholeBlocks, findNfcapdDamage } from './nfcapd-repair.js';
import { startNfdump } from './nfdump-tool.js';

/**
 * nfcapd files (NetFlow v5/v9, IPFIX, sFlow as collected by nfcapd/sfcapd), read by nfdump.
 * The output format is pinned with -o fmt: nfdump's CSV columns changed in 1.7.5, and its
 * times are local unless TZ=UTC. -N prints plain numbers (protocols too, named here), -6 full
 * IPv6 addresses. %te is used rather than %ter, whose milliseconds 1.7.1 misprints.
 */
const FIELDS: readonly (readonly [string, StagedField])[] = [
  ['%cnt', { role: 'line' }],
  ['%ts', { column: 'tstart', time: 'text' }],
  ['%te', { column: 'tend', time: 'text' }],
  ['%tr', { column: 'treceived', time: 'text' }],
  ['%pr', { column: 'proto', map: protoNames(), keepUnmapped: true, upper: true }],
  ['%sa', { column: 'sip', v4Compatible: true }],
  ['%da', { column: 'dip', v4Compatible: true }],
  ['%sp', { column: 'sport' }],
  ['%dp', { column: 'dport', dottedIcmp: true }],
  ['%flg', { column: 'flag' }],
  ['%fwd', { column: 'fwd' }],
  ['%stos', { column: 'stos' }],
  ['%dtos', { column: 'dtos' }],
  ['%ipkt', { column: 'ipkt' }],
  ['%ibyt', { column: 'ibyt' }],
  ['%opkt', { column: 'opkt' }],
  ['%obyt', { column: 'obyt' }],
  ['%in', { column: 'input' }],
  ['%out', { column: 'output' }],
  ['%sas', { column: 'sas' }],
  ['%das', { column: 'das' }],
  ['%dir', { column: 'dir', map: { I: 0, E: 1, '0': 0, '1': 1 } }],
  ['%ra', { column: 'rip' }],
];

export const NFDUMP_FORMAT = `fmt:${FIELDS.map(([tag]) => tag).join(',')}`;

/** Where fields are in a line of NFDUMP_FORMAT output, for tools that rewrite some of them. */
export const NFDUMP_FIELD_INDEX = {
  line: FIELDS.findIndex(([tag]) => tag === '%cnt'),
  treceived: FIELDS.findIndex(([tag]) => tag === '%tr'),
  tstart: FIELDS.findIndex(([tag]) => tag === '%ts'),
  tend: FIELDS.findIndex(([tag]) => tag === '%te'),
  rip: FIELDS.findIndex(([tag]) => tag === '%ra'),
  sip: FIELDS.findIndex(([tag]) => tag === '%sa'),
  dip: FIELDS.findIndex(([tag]) => tag === '%da'),
} as const;

/** How the lake writer reads NFDUMP_FORMAT output; `sensor` fills every row's sensor. */
export function nfdumpLayout(sensor: string | null): StagedLayout {
  return {
    delimiter: ',',
    quoted: false,
    trim: true,
    fields: FIELDS.map(([, f]) => f),
    constants: { sensor, state: null, uid: null, label: null },
  };
}

const NFCAPD_MAGIC = 0xa50c;

export const nfcapdDecoder: ToolDecoder<typeof flow> = {
  kind: 'tool',
  name: 'nfcapd',
  table: flow,
  description: 'nfcapd/sfcapd binary files (NetFlow v5/v9, IPFIX, sFlow), read with nfdump',
  accepts: (_file, head) => head.length >= 4 && head.readUInt16LE(0) === NFCAPD_MAGIC,

  async check(ctx: DecodeContext) {
    const [major, minor] = await nfdumpVersion(ctx.config.decoders.nfdump.binary);
    if (major < 1 || (major === 1 && minor < 7)) {
      throw new InputError(ctx.config.decoders.nfdump.binary, `nfdump ${major}.${minor} is too old: 1.7 or later is needed`);
    }
  },

  async start(file: SourceFile, ctx: DecodeContext): Promise<ToolRun> {
    const binary = ctx.config.decoders.nfdump.binary;
    const read = (input: string) => startNfdump(binary, ['-q', '-N', '-6', '-r', input, '-o', NFDUMP_FORMAT], ctx.signal);
    const damage = await findNfcapdDamage(file.path, file.size);
    if (!damage) return { layout: nfdumpLayout((await nfdumpStat(binary, file.path)).ident ?? ctx.sensor), ...read(file.path) };

    // A damaged 1.7 file's ident was in its appendix, which is lost.
    const layout = nfdumpLayout(ctx.sensor);
    const failed = (error: string): ToolRun => ({ layout, stdout: Readable.from([]), finished: Promise.resolve({ error }) });
    if (damage.wholeBlocks === 0) return failed(damage.problem);
    // nfdump reads only regular files: it reads a repaired copy, kept in this file's staging area.
    const base = ctx.workDir ?? tmpdir();
    await mkdir(base, { recursive: true });
    const dir = await mkdtemp(join(base, 'nfcapd-'));
    let copy: string;
    try {
      copy = await copyWholeBlocks(file.path, damage, dir);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      return failed(`${damage.problem}; copying its whole blocks failed: ${(e as Error).message}`);
    }
    const run = read(copy);
    const finished = run.finished.then(async ({ error }) => {
      await rm(dir, { recursive: true, force: true });
      return { error: error ? `${damage.problem}; ${error.replaceAll(copy, file.path)}` : damage.problem };
    });
    return { layout, stdout: run.stdout, finished };
  },
};
