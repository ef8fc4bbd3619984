import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** One packet of tshark -T json: its protocol layers by name, in the order of the packet. */
export type TsharkLayers = Record<string, unknown>;

/**
 * The packets of tshark's -T json output, one at a time. tshark prints one JSON array of packet
 * objects, each opening with a line "  {" and closing with "  }" or "  },", so the output is cut
 * there and parsed packet by packet instead of as a whole.
 */
export async function* tsharkPackets(stdout: Readable): AsyncGenerator<TsharkLayers> {
  let lines: string[] | null = null;
  for await (const line of createInterface({ input: stdout, crlfDelay: Infinity })) {
    if (lines === null) {
      if (line === '  {') lines = [];
      continue;
    }
    if (line === '  }' || line === '  },') {
      const packet = JSON.parse(`{${lines.join('\n')}}`) as { _source?: { layers?: TsharkLayers } };
      lines = null;
      if (packet._source?.layers) yield packet._source.layers;
      continue;
    }
    lines.push(line);
  }
}
