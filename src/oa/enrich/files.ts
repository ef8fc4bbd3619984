import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { InputError } from '../../shared/errors.js';

/** Where an enrichment reports what it skipped (a bad line, a missing database): it goes on with the rest. */
export type Warn = (message: string) => void;

const require = createRequire(import.meta.url);

/** A configured data file to a path: `npm:<package>/<file>` is resolved among the installed packages. */
export function resolveDataFile(spec: string): string {
  if (!spec.startsWith('npm:')) return spec;
  const id = spec.slice(4);
  try {
    return require.resolve(id);
  } catch {
    const pkg = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]!;
    throw new InputError(spec, `not installed: run "npm install ${pkg}" or configure a file path instead`);
  }
}

/** The lines of a text file with their 1-based numbers, streamed: lists of millions of lines never sit in memory. */
export async function* readLines(path: string): AsyncGenerator<{ line: string; number: number }> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  await opened.catch((e: NodeJS.ErrnoException) => {
    throw new InputError(path, `cannot read: ${e.code ?? e.message}`);
  });
  let number = 0;
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      number++;
      yield { line: number === 1 ? line.replace(/^\uFEFF/, '') : line, number };
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { line: number + 1 });
  }
}

/** One CSV record (RFC 4180 quoting, no embedded line breaks): the cells, unquoted. */
export function splitCsvLine(line: string, delimiter = ','): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++; // abuse.ch's ThreatFox writes '", "' between fields
    if (line[i] === '"') {
      let cell = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quoted field');
        cell += line.slice(i, q);
        if (line[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(cell);
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== delimiter) throw new Error('text after a quoted field');
      if (i >= line.length) break;
      i++;
    } else {
      const end = line.indexOf(delimiter, i);
      cells.push((end < 0 ? line.slice(i) : line.slice(i, end)).trim());
      if (end < 0) break;
      i = end + 1;
    }
  }
  return cells;
}
