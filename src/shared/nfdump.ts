/**
 * Debian's nfdump, the reference decoder of nfcapd files, as ingest and the generator run it.
 * @module
 */
import { spawn } from 'node:child_process';
import { InputError } from './errors.js';

/** Run nfdump with times in UTC (it prints local time otherwise). */
export function runNfdump(binary: string, args: readonly string[]) {
  return spawn(binary, args, { env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** nfdump's version as [major, minor, patch]; throws an InputError saying how to install it. */
export async function nfdumpVersion(binary: string): Promise<[number, number, number]> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = runNfdump(binary, ['-V']);
    let text = '';
    child.stdout.on('data', (b: Buffer) => (text += b.toString()));
    child.stderr.on('data', (b: Buffer) => (text += b.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(text));
  }).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(binary, e.code === 'ENOENT' ? 'nfdump is not installed (Debian: apt-get install nfdump)' : e.message);
  });
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(out);
  if (!m) throw new InputError(binary, `cannot read nfdump's version from ${JSON.stringify(out.trim())}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The ident and flow count nfdump's stat record gives for a file (nfdump -I). */
export async function nfdumpStat(binary: string, path: string): Promise<{ ident: string | null; flows: number | null; sequenceFailures: number | null }> {
  const text = await new Promise<string>((resolve, reject) => {
    const child = runNfdump(binary, ['-I', '-r', path]);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
  const ident = field('Ident');
  const flows = field('Flows');
  const seq = field('Sequence failures');
  return {
    ident: ident && ident !== 'none' ? ident : null,
    flows: flows ? Number(flows) : null,
    sequenceFailures: seq ? Number(seq) : null,
  };
}
