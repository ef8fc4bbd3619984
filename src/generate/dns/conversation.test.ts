import { describe, expect, it } from 'vitest';
import { Prng } from '../prng.js';
import { TCP, UDP } from '../session.js';
import { planConversation, type PlannedPacket } from './conversation.js';
import { dnsSession } from './dns-session.js';
import { exchangeOf } from './records.js';

const T0 = Date.UTC(2026, 10, 24, 12);
const ms = (p: PlannedPacket) => Math.floor(p.time / 1000);

describe('DNS conversations', () => {
  it('UDP: the query in the start millisecond, the answer a round trip later', () => {
    const plan = planConversation({ start: T0, rtt: 3, proto: UDP, src: '10.10.0.10', sport: 50000, dst: '10.20.0.10', dport: 53 }, { queries: [40], responses: [90] });
    expect(plan.packets.map((p) => [ms(p) - T0, p.fromClient, p.ipLength])).toEqual([
      [0, true, 68],
      [3, false, 118],
    ]);
  });

  it('TCP: handshake, every stream byte once in order, ACKs that follow, both closes in the last millisecond', () => {
    const r = new Prng('conversation-test');
    for (let i = 0; i < 300; i++) {
      const k = r.int(1, 3);
      const lengths = { queries: Array.from({ length: k }, () => r.int(17, 300)), responses: Array.from({ length: k }, () => r.int(30, 4000)) };
      const v6 = r.chance(0.5);
      const spec = { start: T0 + i, rtt: r.int(1, 60), proto: TCP, src: v6 ? 'fd5e::1' : '10.10.0.10', sport: 50000 + i, dst: v6 ? '2620:fe::fe' : '9.9.9.9', dport: 53 };
      const { packets } = planConversation(spec, lengths);
      expect(ms(packets[0]!)).toBe(spec.start);
      expect(packets[0]!.tcp!.flags).toBe(0x02);
      expect(packets.find((p) => !p.fromClient)!.tcp!.flags).toBe(0x12);
      expect(ms(packets.find((p) => !p.fromClient)!) - spec.start).toBe(spec.rtt);
      expect(ms(packets.at(-1)!)).toBe(ms(packets.at(-2)!));
      expect(packets.at(-2)!.tcp!.flags & 0x01).toBe(1);
      for (const side of [true, false]) {
        const mine = packets.filter((p) => p.fromClient === side);
        const data = mine.filter((p) => p.to > p.from);
        const total = (side ? lengths.queries : lengths.responses).reduce((n, l) => n + l + 2, 0);
        expect(data.map((p) => [p.from, p.to]).flat()).toEqual([0, ...data.slice(0, -1).flatMap((p) => [p.to, p.to]), total]);
        expect(data.every((p) => p.to - p.from <= (v6 ? 1428 : 1448))).toBe(true);
        expect(data.flatMap((p) => p.completes)).toEqual(Array.from({ length: k }, (_, j) => j));
        const isn = mine[0]!.tcp!.seq;
        for (const p of data) expect((p.tcp!.seq - isn - 1) >>> 0).toBe(p.from);
        // What each side acknowledges never runs ahead of what the other has sent.
        const other = packets.filter((p) => p.fromClient !== side);
        for (const p of mine.slice(1)) {
          const sent = other.filter((o) => o.time < p.time).reduce((n, o) => Math.max(n, o.to + (o.tcp!.flags & 0x01)), 0);
          expect((p.tcp!.ack - other[0]!.tcp!.seq - 1) >>> 0).toBeLessThanOrEqual(sent);
        }
      }
    }
  });

  it('counts a session from its packets: several exchanges on one UDP socket keep their own times', () => {
    const ask = (sent: number, rtt: number, id: number) => ({
      ...exchangeOf({ query: `q${id}.t.example`, qtype: 'NULL', rcode: 'NOERROR', records: [{ name: `q${id}.t.example`, type: 'NULL', ttl: 0, data: '\\# 2 abcd' }] }),
      sent,
      rtt,
      id,
    });
    const s = dnsSession({ start: T0, rtt: 900, transport: 'udp', src: '10.10.0.10', sport: 50000, dst: '203.0.113.53', exchanges: [ask(T0, 900, 1), ask(T0 + 200, 30, 2), ask(T0 + 1000, 40, 3)] });
    expect(s).toMatchObject({ start: T0, rtt: 230, duration: 1040, reqDuration: 1000, reqPackets: 3, respPackets: 3 });
    expect(s.app?.dnsPipelined).toHaveLength(2);
  });
});
