import { Transform, type Readable } from 'node:stream';
import { runNfdump } from '../../shared/nfdump.js';

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

const NOTICE = /^(Skip unknown record type|GetNextFile\(\) error)/;

/** nfdump's stderr without its repeated notices, bounded however much it prints. */
export class StderrLines {
  readonly #lines: string[] = [];
  #partial = '';

  push(text: string): void {
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const raw of parts) {
      const line = raw.trim();
      if (line && !NOTICE.test(line) && this.#lines.length < 50) this.#lines.push(line);
    }
  }

  text(): string {
    return [...this.#lines, this.#partial.trim()].filter(Boolean).join('\n');
  }
}

/** Lines of nfdump's stderr that mean it stopped early, as opposed to notices. */
export function nfdumpErrors(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !NOTICE.test(l))
    .filter((l) => /error|corrupt|bad magic|short read|failed|inconsistent|cannot|unable/i.test(l));
}

/**
 * Run nfdump for its text output: stdout without the "No matching flows" notice, and a promise
 * that settles when it exits, with an error when it stopped early. Aborting kills it.
 */
export function startNfdump(binary: string, args: readonly string[], signal: AbortSignal): { stdout: Readable; finished: Promise<{ error?: string }> } {
  const child = runNfdump(binary, args);
  // nfdump repeats notices ("Skip unknown record type 9") for every block; keep only the rest.
  const stderr = new StderrLines();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => stderr.push(s));
  const onAbort = () => child.kill('SIGTERM');
  signal.addEventListener('abort', onAbort, { once: true });
  const finished = new Promise<{ error?: string }>((resolve) => {
    child.on('error', (e) => resolve({ error: e.message }));
    child.on('close', (code, killedBy) => {
      signal.removeEventListener('abort', onAbort);
      const errors = nfdumpErrors(stderr.text());
      if (killedBy) errors.push(`nfdump stopped by ${killedBy}`);
      else if (code) errors.push(`nfdump exited with code ${code}`);
      resolve(errors.length ? { error: errors.join('; ') } : {});
    });
  });
  return { stdout: dropNoFlowsNotice(child.stdout), finished };
}
