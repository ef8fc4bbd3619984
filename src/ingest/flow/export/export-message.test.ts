import { describe, expect, it } from 'vitest';
import { checkExport } from './export-message.js';
import { ReceiveClock } from './receive-clock.js';
import { netflowV5 } from './testing.js';

const record = { src: '10.0.0.1', dst: '10.0.0.2', sport: 1234, dport: 80, proto: 6, packets: 3, bytes: 180, first: 1000, last: 2000 };

function ipfix(sets: readonly Buffer[], length?: number): Buffer {
  const body = Buffer.concat(sets);
  const h = Buffer.alloc(16);
  h.writeUInt16BE(10, 0);
  h.writeUInt16BE(length ?? 16 + body.length, 2);
  return Buffer.concat([h, body]);
}

function set(id: number, body: Buffer, length?: number): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(length ?? 4 + body.length, 2);
  return Buffer.concat([h, body]);
}

describe('checkExport', () => {
  it('tells the four export formats by their headers, with the message length', () => {
    const v5 = netflowV5([record, record], { unixSecs: 1_700_000_000, uptimeMs: 5000 });
    expect(checkExport(v5, 0, v5.length)).toEqual({ kind: 'netflow-v5', length: 120 });
    const v9 = Buffer.concat([Buffer.from('0009000100000000000000000000000000000001', 'hex'), set(256, Buffer.alloc(8))]);
    expect(checkExport(v9, 0, v9.length)).toEqual({ kind: 'netflow-v9', length: 32 });
    // Two IPFIX messages back to back: the first is told by its length.
    const two = Buffer.concat([ipfix([set(256, Buffer.alloc(4))]), ipfix([])]);
    expect(checkExport(two, 0, two.length)).toEqual({ kind: 'ipfix', length: 24 });
    const sflow = Buffer.from('00000005000000010a0000010000000000000001000000020000000000', 'hex');
    expect(checkExport(sflow, 0, sflow.length)).toEqual({ kind: 'sflow', length: 29 });
  });

  it('gives the reason and the byte of a broken message, and calls other datagrams no export', () => {
    const v5 = netflowV5([record], { unixSecs: 1_700_000_000, uptimeMs: 5000, count: 163 });
    expect(checkExport(v5, 0, v5.length)).toEqual({ kind: 'netflow-v5', problem: 'NetFlow v5 header announces 163 records (1 to 30 allowed)', at: 2 });
    const short = netflowV5([record], { unixSecs: 1_700_000_000, uptimeMs: 5000, count: 2 });
    expect(checkExport(short, 0, short.length)).toEqual({ kind: 'netflow-v5', problem: 'NetFlow v5 header announces 2 records (120 bytes), only 72 bytes follow', at: 2 });
    const badSet = ipfix([set(256, Buffer.alloc(4), 40)]);
    expect(checkExport(badSet, 0, badSet.length)).toEqual({ kind: 'ipfix', problem: 'IPFIX set 256 has length 40, only 8 bytes left in the message', at: 18 });
    const v9Padded = Buffer.concat([Buffer.from('0009000100000000000000000000000000000001', 'hex'), set(256, Buffer.alloc(8)), Buffer.alloc(20)]);
    expect(checkExport(v9Padded, 0, v9Padded.length)).toEqual({ kind: 'netflow-v9', length: 52 });
    const dns = Buffer.from('123401000001000000000000', 'hex');
    expect(checkExport(dns, 0, dns.length)).toEqual({ kind: null, problem: 'starts with version 4660: not NetFlow v5/v9, IPFIX or sFlow v5', at: 0 });
  });
});

describe('ReceiveClock', () => {
  it('maps a receive time to the capture time of the step that was running then', () => {
    const clock = new ReceiveClock();
    clock.startStep(1000, 5_000_000);
    clock.startStep(1003, 7_500_000);
    expect([999, 1000, 1002, 1003, 9999].map((ms) => clock.capturedAt(ms))).toEqual([null, 5_000_000, 5_000_000, 7_500_000, 7_500_000]);
    expect(() => clock.startStep(1003, 8_000_000)).toThrow(/increasing/);
  });
});
