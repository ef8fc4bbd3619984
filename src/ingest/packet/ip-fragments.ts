interface Fragment {
  readonly offset: number;
  readonly data: Buffer;
}

interface Datagram {
  readonly fragments: Fragment[];
  /** Payload length, known once the last fragment (no more fragments) has come; -1 before. */
  length: number;
  bytes: number;
  readonly firstMicros: number;
}

export interface FragmentLimits {
  /** Datagrams being reassembled at once. */
  readonly datagrams: number;
  /** Bytes held over all of them. */
  readonly bytes: number;
  /** Fragments of one datagram. */
  readonly fragments: number;
  /** Capture time after which an incomplete datagram is given up. */
  readonly timeoutMicros: number;
}

/** Bounds like those of the Linux IP stack (ipfrag_high_thresh 4 MiB, 30 s). */
export const FRAGMENT_LIMITS: FragmentLimits = { datagrams: 1024, bytes: 4 * 1024 * 1024, fragments: 64, timeoutMicros: 30_000_000 };

/** The largest IP payload: offsets and lengths beyond it are bogus. */
const MAX_DATAGRAM = 65_535;

/**
 * Reassembles fragmented IP datagrams (IPv4, and IPv6 fragment headers) as tshark does by
 * default, so that a large DNS response over UDP is read once whole, at the frame of the fragment
 * that completes it. Fragments are copied; overlaps are allowed (later bytes win). Memory is
 * bounded: the oldest datagrams are given up when the limits are reached or their time is over.
 */
export class IpFragments {
  readonly #pending = new Map<string, Datagram>();
  #bytes = 0;
  /** Incomplete datagrams given up (timeout, limits, bogus fragments). */
  dropped = 0;

  constructor(private readonly limits: FragmentLimits = FRAGMENT_LIMITS) {}

  /** Add one fragment of the datagram `key`: its payload bytes once every fragment has come, else null. */
  add(key: string, offset: number, more: boolean, data: Uint8Array, micros: number): Buffer | null {
    this.#expire(micros);
    if (offset + data.length > MAX_DATAGRAM || (more && data.length % 8 !== 0)) {
      this.#drop(key);
      this.dropped++;
      return null;
    }
    let datagram = this.#pending.get(key);
    if (!datagram) {
      datagram = { fragments: [], length: -1, bytes: 0, firstMicros: micros };
      this.#pending.set(key, datagram);
    }
    if (datagram.fragments.length >= this.limits.fragments) {
      this.#drop(key);
      this.dropped++;
      return null;
    }
    datagram.fragments.push({ offset, data: Buffer.from(data) });
    datagram.bytes += data.length;
    this.#bytes += data.length;
    if (!more) datagram.length = offset + data.length;
    const whole = datagram.length >= 0 ? assemble(datagram) : null;
    if (whole) this.#drop(key);
    else this.#bound();
    return whole;
  }

  /** Datagrams still waiting for fragments. */
  get pending(): number {
    return this.#pending.size;
  }

  #expire(micros: number): void {
    for (const [key, datagram] of this.#pending) {
      if (micros - datagram.firstMicros <= this.limits.timeoutMicros) break;
      this.#drop(key);
      this.dropped++;
    }
  }

  #bound(): void {
    for (const key of this.#pending.keys()) {
      if (this.#pending.size <= this.limits.datagrams && this.#bytes <= this.limits.bytes) break;
      this.#drop(key);
      this.dropped++;
    }
  }

  #drop(key: string): void {
    const datagram = this.#pending.get(key);
    if (!datagram) return;
    this.#bytes -= datagram.bytes;
    this.#pending.delete(key);
  }
}

/** The datagram's payload if its fragments cover it without a gap, else null. */
function assemble(datagram: Datagram): Buffer | null {
  const parts = datagram.fragments.slice().sort((a, b) => a.offset - b.offset);
  let covered = 0;
  for (const part of parts) {
    if (part.offset > covered) return null;
    covered = Math.max(covered, part.offset + part.data.length);
  }
  if (covered < datagram.length) return null;
  const whole = Buffer.alloc(datagram.length);
  for (const part of parts) {
    if (part.offset < datagram.length) part.data.copy(whole, part.offset, 0, Math.min(part.data.length, datagram.length - part.offset));
  }
  return whole;
}
