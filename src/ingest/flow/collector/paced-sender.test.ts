import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { LOOPBACK, sendPaced, udpSocketState } from './paced-sender.js';

describe('sendPaced', () => {
  it('delivers every packet in order, no faster than the pace after the first burst', async () => {
    const receiver = createSocket('udp4');
    await new Promise<void>((resolve) => receiver.bind(0, LOOPBACK, resolve));
    const port = receiver.address().port;
    const received: number[] = [];
    receiver.on('message', (m) => received.push(m.readUInt32BE(0)));
    const packets = Array.from({ length: 264 }, (_, i) => {
      const b = Buffer.alloc(100);
      b.writeUInt32BE(i, 0);
      return b;
    });
    const t0 = performance.now();
    const result = await sendPaced(packets, port, 2000);
    const elapsed = performance.now() - t0;
    // A burst of 64 goes at once; the other 200 need 100 ms at 2000 packets per second.
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(result).toEqual({ packets: 264, bytes: 26_400 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual(packets.map((_, i) => i));
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
});

describe.skipIf(process.platform !== 'linux')('udpSocketState', () => {
  it("finds a loopback socket by port in /proc/net/udp, with its queue and drops", async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
    const port = socket.address().port;
    const got = new Promise((resolve) => socket.once('message', resolve));
    const sender = createSocket('udp4');
    await new Promise<void>((resolve) => sender.send(Buffer.alloc(500), port, LOOPBACK, () => resolve()));
    await got;
    expect(await udpSocketState(port)).toEqual({ queued: 0, drops: 0 });
    sender.close();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    expect(await udpSocketState(port)).toBeNull();
  });
});
