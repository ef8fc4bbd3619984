import { spawn } from 'node:child_process';
import { Transform, type Readable } from 'node:stream';
import { InputError } from '../../shared/errors.js';

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

const NO_FLOWS = Buffer.from('No matching flows\n');

/** nfdump prints "No matching flows" on stdout when a file has none, even with -q: drop it. */
export function dropNoFlowsNotice(stdout: Readable): Readable {
  let head: Buffer | null = Buffer.alloc(0);
  return stdout.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        if (head === null) return done(null, chunk);
        head = Buffer.concat([head, chunk]);
        if (head.length <= NO_FLOWS.length && NO_FLOWS.subarray(0, head.length).equals(head)) return done();
        const out = head;
        head = null;
        done(null, out);
      },
      flush(done) {
        if (head && head.length && !head.equals(NO_FLOWS)) this.push(head);
        done();
      },
    }),
  );
}

/** Lines of nfdump's stderr that mean it stopped early, as opposed to notices. */
export function nfdumpErrors(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Skip unknown record type/.test(l) && !/^GetNextFile\(\) error/.test(l))
    .filter((l) => /error|corrupt|bad magic|short read|failed|inconsistent|cannot|unable/i.test(l));
}
