import { spawn } from 'node:child_process';
import { dns } from '../../schema/index.js';
import { InputError } from '../../shared/errors.js';
import type { DecodeContext, RowDecoder, RowSink, SourceFile } from '../decoder.js';
import { captureKind } from '../packet/capture-format.js';
import { tsharkPackets } from './tshark-json.js';
import { tsharkPacket } from './tshark-packet.js';

/** Ports tshark reads as DNS (or as mDNS and LLMNR, which are DNS too) without being told. */
const TSHARK_UDP_PORTS = new Set([53, 5353, 5355]);
const TSHARK_TCP_PORTS = new Set([53, 5353]);
const CUT_SHORT = /cut short in the middle of a packet|truncated/i;

/**
 * tshark's command line: JSON with raw bytes (-x, for the data of record types read as RFC 3597
 * hex), repeated protocols as arrays (--no-duplicate-keys, for several DNS messages in one TCP
 * segment), no name resolution, only frames with a DNS message, out-of-order TCP segments
 * reassembled as the native decoder does, and every configured port decoded as DNS.
 */
export function tsharkArgs(path: string, ports: readonly number[]): string[] {
  const decodeAs = ports.flatMap((port) => [
    ...(TSHARK_UDP_PORTS.has(port) ? [] : ['-d', `udp.port==${port},dns`]),
    ...(TSHARK_TCP_PORTS.has(port) ? [] : ['-d', `tcp.port==${port},dns`]),
  ]);
  return [
    '-r', path, '-n', '-T', 'json', '-x', '--no-duplicate-keys',
    '-J', 'frame ip ipv6 udp tcp icmp icmpv6 dns mdns llmnr',
    '-Y', 'dns or mdns or llmnr',
    '-o', 'tcp.reassemble_out_of_order:TRUE',
    ...decodeAs,
  ];
}

/** The reference DNS decoder of packet captures: Wireshark's tshark. Only chosen by name (--decoder tshark). */
export const tsharkDnsDecoder: RowDecoder<typeof dns> = {
  kind: 'rows',
  name: 'tshark',
  table: dns,
  description: "DNS messages of pcap and pcapng captures read by Wireshark's tshark: the reference of pcap-dns (--decoder tshark)",

  accepts(_file: SourceFile, head: Buffer): boolean {
    return captureKind(head) !== null;
  },

  async decode(file: SourceFile, sink: RowSink<typeof dns>, ctx: DecodeContext): Promise<void> {
    const binary = ctx.config.decoders.dns.tshark;
    const child = spawn(binary, tsharkArgs(file.path, ctx.config.decoders.dns.ports), { stdio: ['ignore', 'pipe', 'pipe'] });
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'ENOENT' ? new InputError(binary, `${binary} is not installed: apt-get install tshark (or set ingest.decoders.dns.tshark)`) : e),
      );
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (stderr += s));
    const stop = () => child.kill('SIGTERM');
    ctx.signal.addEventListener('abort', stop, { once: true });
    try {
      await spawned;
      for await (const layers of tsharkPackets(child.stdout)) {
        const packet = tsharkPacket(layers, ctx.sensor);
        for (const message of packet.messages) {
          if (message.kind === 'row') sink.append(message.row, { line: packet.frame });
          else sink.reject('bad-record', { line: packet.frame }, message.detail);
        }
      }
      const code = await exited;
      ctx.signal.throwIfAborted();
      const problem = tsharkProblem(stderr);
      if (problem && CUT_SHORT.test(problem)) sink.reject('truncated', {}, `tshark: ${problem}`);
      else if (code !== 0) throw new InputError(file.path, `tshark exited with code ${code}${problem ? `: ${problem}` : ''}`);
    } finally {
      ctx.signal.removeEventListener('abort', stop);
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  },
};

/** tshark's error lines, without its warning about running as root. */
function tsharkProblem(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Running as user/.test(l))
    .join(' ');
}
