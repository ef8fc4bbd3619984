/**
 * Maps the wall-clock receive time a collector stamped on a replayed flow back to the capture time
 * of the export datagram that carried it. The replay runs in steps, each starting at a known wall
 * clock millisecond after every earlier datagram was processed (see ExportReplay), so a receive
 * time belongs to the last step that started at or before it.
 */
export class ReceiveClock {
  /** Wall-clock start of each step, epoch milliseconds, ascending. */
  readonly #starts: number[] = [];
  /** Capture time of each step's first datagram, epoch microseconds. */
  readonly #captured: number[] = [];

  startStep(wallMs: number, capturedMicros: number): void {
    const last = this.#starts[this.#starts.length - 1];
    if (last !== undefined && wallMs <= last) throw new Error(`replay steps must start at increasing times: ${wallMs} after ${last}`);
    this.#starts.push(wallMs);
    this.#captured.push(capturedMicros);
  }

  /** Capture time of the first step, epoch microseconds; null before any. */
  firstCaptured(): number | null {
    return this.#captured[0] ?? null;
  }

  get steps(): number {
    return this.#starts.length;
  }

  /** Capture time (epoch microseconds) for a receive time in epoch milliseconds; null before the first step. */
  capturedAt(receivedMs: number): number | null {
    let lo = 0;
    let hi = this.#starts.length - 1;
    if (hi < 0 || receivedMs < this.#starts[0]!) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid]! <= receivedMs) lo = mid;
      else hi = mid - 1;
    }
    return this.#captured[lo]!;
  }
}
