import { PassThrough, Transform, type Readable } from 'node:stream';
import { NFDUMP_FIELD_INDEX } from '../nfcapd.js';
import type { ReceiveClock } from './receive-clock.js';

export interface ReplayMapping {
  /** Loopback sender address → the exporter's real address ('' when unknown: a null rip). */
  readonly exporters: ReadonlyMap<string, string>;
  readonly clock: ReceiveClock;
}

/**
 * nfdump's NFDUMP_FORMAT lines of replayed flows, made true to the original export: the router
 * address (%ra) back from the replay's loopback address to the exporter's, the receive time (%tr)
 * from the replay's wall clock to the capture time of the datagram, and the record number (%cnt)
 * counted across all the outputs joined; for sFlow, whose samples carry no time, start and end too. Only these three fields are touched.
 */
/** One nfdump output; sfcapd's flows carry its receive time as their start and end too. */
export interface ReplayedOutput {
  readonly stdout: Readable;
  /** Map %ts and %te like %tr: sFlow samples have no times of their own. */
  readonly timesAreReceived: boolean;
}

export function rewriteReplayed(outputs: readonly ReplayedOutput[], mapping: ReplayMapping): Readable {
  const out = new PassThrough();
  let record = 0;
  let partial = '';
  // A record without nfdump's generic flow part (e.g. IPFIX data-link sections only) has no receive
  // time: it takes that of the record before it, which the collector received just before.
  const state = { previous: mapping.clock.firstCaptured(), timesAreReceived: false };
  const rewrite = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      done(null, lines.map((line) => (line.trim() ? rewriteLine(line, ++record, mapping, state) + '\n' : '')).join(''));
    },
    flush(done) {
      done(null, partial.trim() ? rewriteLine(partial, ++record, mapping, state) + '\n' : '');
    },
  });
  rewrite.pipe(out);
  void (async () => {
    try {
      for (const output of outputs) {
        state.timesAreReceived = output.timesAreReceived;
        for await (const chunk of output.stdout) if (!rewrite.write(chunk)) await new Promise((r) => rewrite.once('drain', r));
        // Lines are cut at the end of each output, so that a flag never applies to the next one's.
        await new Promise<void>((resolve) => rewrite.write('\n', () => resolve()));
      }
      rewrite.end();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return out;
}

interface RewriteState {
  previous: number | null;
  timesAreReceived: boolean;
}

function rewriteLine(line: string, record: number, mapping: ReplayMapping, state: RewriteState): string {
  const fields = line.split(',');
  fields[NFDUMP_FIELD_INDEX.line] = String(record);
  const rip = fields[NFDUMP_FIELD_INDEX.rip]!.trim();
  const exporter = mapping.exporters.get(rip);
  if (exporter !== undefined) fields[NFDUMP_FIELD_INDEX.rip] = exporter;
  const received = parseUtcMillis(fields[NFDUMP_FIELD_INDEX.treceived]!.trim());
  const captured = (received === null ? null : mapping.clock.capturedAt(received)) ?? state.previous;
  if (captured !== null) {
    const text = formatUtcMicros(captured);
    fields[NFDUMP_FIELD_INDEX.treceived] = text;
    if (state.timesAreReceived) fields[NFDUMP_FIELD_INDEX.tstart] = fields[NFDUMP_FIELD_INDEX.tend] = text;
  }
  state.previous = captured;
  return fields.join(',');
}

/** "2024-01-02 03:04:05.678" (UTC, as nfdump prints with TZ=UTC) → epoch milliseconds. */
function parseUtcMillis(text: string): number | null {
  const ms = Date.parse(`${text.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** Epoch microseconds → "2024-01-02 03:04:05.678901", the staged text time format. */
export function formatUtcMicros(micros: number): string {
  const seconds = Math.floor(micros / 1e6);
  const fraction = String(micros - seconds * 1e6).padStart(6, '0');
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${fraction}`;
}
