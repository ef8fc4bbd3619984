import { countedSession, type Direction } from '../build-session.js';
import { TCP, UDP, type AppPayload, type DnsExchange, type Session } from '../session.js';
import { planConversation, type Conversation, type ExchangeTiming, type MessageLengths } from './conversation.js';
import { queryMessage, responseMessage } from './message.js';
import { encodeMessage } from './wire.js';

export interface DnsSessionSpec {
  readonly start: number;
  readonly rtt: number;
  readonly transport: 'udp' | 'tcp';
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  /** 53 unless given. */
  readonly dport?: number;
  /** One over UDP; one or more over TCP, sent on the same connection. */
  readonly exchanges: readonly DnsExchange[];
  readonly label?: string | null;
}

/**
 * A DNS session whose NetFlow counters (packets, IP bytes, TCP flags, duration) are those of
 * the packets the capture will hold for it: the exchanges are encoded and laid out by
 * `planConversation` here, and again, identically, when the capture is written.
 */
export function dnsSession(spec: DnsSessionSpec): Session {
  if (spec.exchanges.length === 0) throw new Error('a DNS session carries at least one exchange');
  const [first, ...more] = spec.exchanges;
  const app: AppPayload = more.length ? { dns: first, dnsPipelined: more } : { dns: first };
  const common = { start: Math.round(spec.start), src: spec.src, sport: spec.sport, dst: spec.dst, dport: spec.dport ?? 53, label: spec.label ?? null, app };
  const proto = spec.transport === 'tcp' ? TCP : UDP;
  const timing = socketTiming(proto, spec.exchanges);
  if (timing && timing[0]!.sent !== common.start) throw new Error('the first exchange of a UDP socket session leaves at its start');
  const plan = planConversation({ ...common, proto, rtt: Math.max(1, Math.round(spec.rtt)) }, messageLengths(spec.exchanges), timing);
  const req: [number, number, number] = [0, 0, 0];
  const resp: [number, number, number] = [0, 0, 0];
  let firstResponse = Infinity;
  let lastRequest = 0;
  for (const p of plan.packets) {
    const d = p.fromClient ? req : resp;
    d[0]++;
    d[1] += p.ipLength;
    d[2] |= p.tcp?.flags ?? 0;
    if (p.fromClient) lastRequest = p.time;
    else firstResponse = Math.min(firstResponse, p.time);
  }
  const ms = (us: number) => Math.floor(us / 1000) - common.start;
  const last = plan.packets[plan.packets.length - 1]!.time;
  return countedSession(common, proto, ms(last), ms(firstResponse), req as Direction, resp as Direction, ms(lastRequest));
}

/** The timing of exchanges sharing a UDP socket; undefined for one exchange or TCP. */
function socketTiming(proto: number, exchanges: readonly DnsExchange[]): ExchangeTiming[] | undefined {
  if (proto !== UDP || exchanges.length < 2) return undefined;
  return exchanges.map((e) => {
    if (e.sent === undefined || e.rtt === undefined) throw new Error('exchanges sharing a UDP socket need their times (sent, rtt)');
    return { sent: Math.round(e.sent), rtt: Math.max(1, Math.round(e.rtt)) };
  });
}

/** Every exchange a DNS session carries, in the order sent. */
export function sessionExchanges(session: Session): DnsExchange[] {
  const dns = session.app?.dns;
  if (!dns) return [];
  return session.app?.dnsPipelined ? [dns, ...session.app.dnsPipelined] : [dns];
}

/** The packets of a DNS session, as `dnsSession` counted them. */
export function sessionConversation(session: Session, lengths: MessageLengths): Conversation {
  const { start, rtt, proto, src, sport, dst, dport } = session;
  return planConversation({ start, rtt, proto, src, sport, dst, dport }, lengths, socketTiming(proto, sessionExchanges(session)));
}

export function messageLengths(exchanges: readonly DnsExchange[]): MessageLengths {
  const encoded = exchanges.map(encodedMessages);
  return { queries: encoded.map((e) => e.query.length), responses: encoded.map((e) => e.response.length) };
}

export function responseLength(exchange: DnsExchange): number {
  return encodedMessages(exchange).response.length;
}

/** Encoded when the session is sized, and reused by the capture while the exchange lives (a window or so). */
const encodings = new WeakMap<DnsExchange, { readonly query: Buffer; readonly response: Buffer }>();

/** An exchange's query and response, with transaction id 0 (the capture writes the real one in). */
export function encodedMessages(exchange: DnsExchange): { readonly query: Buffer; readonly response: Buffer } {
  let e = encodings.get(exchange);
  if (!e) encodings.set(exchange, (e = { query: encodeMessage(queryMessage(exchange, 0)), response: encodeMessage(responseMessage(exchange, 0)) }));
  return e;
}
