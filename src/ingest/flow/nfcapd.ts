import type { StagedField, StagedLayout } from '../../lake/staged.js';
import { flow } from '../../schema/index.js';
import { InputError } from '../../shared/errors.js';
import { protoNames } from '../../shared/iana-proto.js';
import type { DecodeContext, SourceFile, ToolDecoder, ToolRun } from '../decoder.js';
import { nfdumpStat, nfdumpVersion, runNfdump } from '../../shared/nfdump.js';
import { dropNoFlowsNotice, nfdumpErrors, StderrLines } from './nfdump-tool.js';

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
  ['%sa', { column: 'sip' }],
  ['%da', { column: 'dip' }],
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
    const stat = await nfdumpStat(binary, file.path);
    const sensor = stat.ident ?? ctx.sensor;
    const layout: StagedLayout = {
      delimiter: ',',
      quoted: false,
      trim: true,
      fields: FIELDS.map(([, f]) => f),
      constants: { sensor, state: null, uid: null, label: null },
    };
    const child = runNfdump(binary, ['-q', '-N', '-6', '-r', file.path, '-o', NFDUMP_FORMAT]);
    // nfdump repeats notices ("Skip unknown record type 9") for every block; keep only the rest.
    const stderr = new StderrLines();
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => stderr.push(s));
    const onAbort = () => child.kill('SIGTERM');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const finished = new Promise<{ error?: string }>((resolve) => {
      child.on('error', (e) => resolve({ error: e.message }));
      child.on('close', (code, signal) => {
        ctx.signal.removeEventListener('abort', onAbort);
        const errors = nfdumpErrors(stderr.text());
        if (signal) errors.push(`nfdump stopped by ${signal}`);
        else if (code) errors.push(`nfdump exited with code ${code}`);
        resolve(errors.length ? { error: errors.join('; ') } : {});
      });
    });
    return { layout, stdout: dropNoFlowsNotice(child.stdout), finished };
  },
};
