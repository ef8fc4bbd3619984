import { createSocket, type Socket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** Collectors listen on loopback only: generated and replayed flows never leave the machine. */
export const LOOPBACK = '127.0.0.1';
/** Packets the sender may send back to back: well under a default 208 KiB receive buffer. */
const MAX_BURST = 64;

export interface SendResult {
  readonly packets: number;
  readonly bytes: number;
}

/**
 * A token bucket of a few dozen packets at `packetsPerSecond`: loopback UDP drops whatever
 * overflows the collector's receive buffer, and a sender that falls behind (while it generates or
 * waits) must not catch up in one burst.
 */
export class PacedSender {
  #tokens = MAX_BURST;
  #last = performance.now();

  constructor(private readonly packetsPerSecond: number) {}

  /** Resolves once one more packet may be sent, and takes its token. */
  async take(): Promise<void> {
    while (!this.tryTake()) await sleep(1);
  }

  /** Takes a token when one is there, without waiting. */
  tryTake(): boolean {
    const now = performance.now();
    this.#tokens = Math.min(MAX_BURST, this.#tokens + ((now - this.#last) * this.packetsPerSecond) / 1000);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens--;
    return true;
  }
}

/** Sends packets to 127.0.0.1:port at most `packetsPerSecond` (see PacedSender). */
export async function sendPaced(packets: Iterable<Buffer>, port: number, packetsPerSecond: number): Promise<SendResult> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  const pace = new PacedSender(packetsPerSecond);
  let sent = 0;
  let bytes = 0;
  try {
    const it = packets[Symbol.iterator]();
    for (let next = it.next(); !next.done; ) {
      await pace.take();
      // What the bucket holds goes in one burst, awaited together.
      const burst: Promise<void>[] = [];
      do {
        burst.push(sendUdp(socket, next.value, port));
        bytes += next.value.length;
        sent++;
        next = it.next();
      } while (!next.done && pace.tryTake());
      await Promise.all(burst);
    }
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
  return { packets: sent, bytes };
}

/** Send one datagram to a loopback port. */
export function sendUdp(socket: Socket, packet: Buffer, port: number, address: string = LOOPBACK): Promise<void> {
  return new Promise((resolve, reject) => socket.send(packet, port, address, (e) => (e ? reject(e) : resolve())));
}

/** The kernel's view of a loopback UDP socket (Linux /proc/net/udp): bytes queued, datagrams dropped. */
export async function udpSocketState(port: number): Promise<{ queued: number; drops: number } | null> {
  const table = await readFile('/proc/net/udp', 'utf8').catch(() => null);
  if (table === null) return null;
  // 127.0.0.1 as the kernel prints it: the address in host byte order (little-endian), the port in hex.
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] !== local) continue;
    const rx = parseInt(f[4]!.split(':')[1]!, 16);
    return { queued: rx, drops: Number(f[f.length - 1]) };
  }
  return null;
}

/**
 * Waits until the collector has read everything queued for it (Linux), or a short grace period
 * elsewhere; returns the kernel's drop count for its socket when it can be read.
 */
export async function waitUntilRead(port: number, timeoutMs = 30_000): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  let empty = 0;
  for (;;) {
    const state = await udpSocketState(port);
    if (state === null) {
      await sleep(500);
      return null;
    }
    empty = state.queued === 0 ? empty + 1 : 0;
    // Twice empty, 50 ms apart: the last datagram has left the queue and been processed.
    if (empty >= 2 || Date.now() > deadline) return state.drops;
    await sleep(50);
  }
}
