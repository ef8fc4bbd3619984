import { addressBytes } from '../address-bytes.js';
import { encodeFrame } from '../frame.js';
import type { Host, Network } from '../network.js';
import { Prng } from '../prng.js';
import type { DnsExchange, Session } from '../session.js';
import { TCP_OPTIONS, WINDOW_SCALE, type PlannedPacket, type TcpFields } from './conversation.js';
import { encodedMessages, sessionConversation, sessionExchanges } from './dns-session.js';
import { QUERY_FLAGS, responseFlags } from './message.js';

/** A DNS message a frame completes, with the header fields the rows need. */
export interface RenderedMessage {
  readonly exchange: DnsExchange;
  readonly response: boolean;
  readonly id: number;
  readonly flags: number;
}

export interface CaptureFrame {
  /** Epoch µs. */
  readonly time: number;
  /** The whole Ethernet frame. */
  readonly bytes: Buffer;
  readonly session: Session;
  readonly fromClient: boolean;
  /** Messages whose last byte is in this frame, in stream order (none for bare TCP segments). */
  readonly messages: readonly RenderedMessage[];
}

/** The default gateway's MAC: the VRRP virtual router address (RFC 5798) of group 1. */
const GATEWAY_MAC = Buffer.from([0x00, 0x00, 0x5e, 0x00, 0x01, 0x01]);

/**
 * Renders DNS sessions as captured frames. The sensor taps the trunk of the workstation VLANs
 * (frames carry the VLAN's 802.1Q tag, its id the router's interface index of the VLAN) and the
 * resolvers' uplink (untagged). On either link one end is the client and the other the gateway.
 */
export class DnsRenderer {
  readonly #hosts: Map<string, Host>;
  readonly #addresses = new Map<string, Buffer>();
  readonly #macs = new Map<string, Buffer>();

  constructor(network: Network) {
    this.#hosts = hostsByAddress(network);
  }

  render(session: Session): CaptureFrame[] {
    const exchanges = sessionExchanges(session);
    const encoded = exchanges.map(encodedMessages);
    const queries = encoded.map((e) => e.query);
    const responses = encoded.map((e) => e.response);
    const plan = sessionConversation(session, { queries: queries.map((b) => b.length), responses: responses.map((b) => b.length) });
    const ids = plan.ids.map((id, i) => exchanges[i]!.id ?? id);
    ids.forEach((id, i) => {
      queries[i]!.writeUInt16BE(id, 0);
      responses[i]!.writeUInt16BE(id, 0);
    });
    const tcp = plan.packets[0]!.tcp !== null;
    const clientStream = tcp ? lengthPrefixed(queries) : null;
    const serverStream = tcp ? lengthPrefixed(responses) : null;
    const client = this.#hosts.get(session.src);
    const vlan = client?.role === 'workstation' ? client.ifIndex : null;
    const clientMac = this.#mac(session.src);
    const clientBytes = this.#address(session.src);
    const serverBytes = this.#address(session.dst);
    const ip = new Prng(`ip/${session.src}/${session.sport}/${session.dst}/${session.start}`);
    const flowLabels = [ip.int(1, 0xfffff), ip.int(1, 0xfffff)];
    const v6 = clientBytes.length === 16;
    const ttl = { client: client?.os === 'windows' ? 128 : 64, server: this.#hosts.has(session.dst) ? 63 : 64 - (3 + (serverBytes[serverBytes.length - 1]! % 12)) };

    return plan.packets.map((p): CaptureFrame => {
      const payload = tcp ? (p.fromClient ? clientStream! : serverStream!).subarray(p.from, p.to) : (p.fromClient ? queries : responses)[p.completes[0]!]!;
      const bytes = encodeFrame({
        srcMac: p.fromClient ? clientMac : GATEWAY_MAC,
        dstMac: p.fromClient ? GATEWAY_MAC : clientMac,
        vlan,
        src: p.fromClient ? clientBytes : serverBytes,
        dst: p.fromClient ? serverBytes : clientBytes,
        ttl: p.fromClient ? ttl.client : ttl.server,
        ipId: v6 ? flowLabels[p.fromClient ? 0 : 1]! : ip.int(0, 0xffff),
        sport: p.fromClient ? session.sport : session.dport,
        dport: p.fromClient ? session.dport : session.sport,
        tcp: p.tcp ? { seq: p.tcp.seq, ack: p.tcp.ack, flags: p.tcp.flags, window: p.tcp.window, options: tcpOptions(p.tcp, v6) } : null,
        payload,
      });
      return { time: p.time, bytes, session, fromClient: p.fromClient, messages: messagesOf(p, exchanges, ids) };
    });
  }

  #address(text: string): Buffer {
    let b = this.#addresses.get(text);
    if (!b) this.#addresses.set(text, (b = addressBytes(text)));
    return b;
  }

  /** A locally administered MAC per host, the same for its IPv4 and IPv6 addresses. */
  #mac(address: string): Buffer {
    const key = this.#hosts.get(address)?.id ?? address;
    let mac = this.#macs.get(key);
    if (!mac) {
      const r = new Prng(`mac/${key}`);
      mac = Buffer.from([0x02, r.int(0, 255), r.int(0, 255), r.int(0, 255), r.int(0, 255), r.int(0, 255)]);
      this.#macs.set(key, mac);
    }
    return mac;
  }
}

function messagesOf(p: PlannedPacket, exchanges: readonly DnsExchange[], ids: readonly number[]): RenderedMessage[] {
  return p.completes.map((i) => {
    const exchange = exchanges[i]!;
    return { exchange, response: !p.fromClient, id: ids[i]!, flags: p.fromClient ? QUERY_FLAGS : responseFlags(exchange) };
  });
}

/** DNS over TCP: each message behind its length (RFC 1035 §4.2.2). */
function lengthPrefixed(messages: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of messages) {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(m.length, 0);
    parts.push(length, m);
  }
  return Buffer.concat(parts);
}

function tcpOptions(t: TcpFields, v6: boolean): Buffer {
  const b = Buffer.alloc(t.syn ? TCP_OPTIONS.syn : TCP_OPTIONS.other);
  let at = 0;
  if (t.syn) {
    b.set([2, 4], 0); // MSS
    b.writeUInt16BE(v6 ? 1440 : 1460, 2);
    b.set([4, 2], 4); // SACK permitted
    at = 6;
  } else {
    b.set([1, 1], 0); // NOP, NOP
    at = 2;
  }
  b.set([8, 10], at); // timestamps
  b.writeUInt32BE(t.tsval, at + 2);
  b.writeUInt32BE(t.tsecr, at + 6);
  if (t.syn) b.set([1, 3, 3, WINDOW_SCALE], at + 10); // NOP, window scale
  return b;
}

const indexes = new WeakMap<Network, Map<string, Host>>();

/** Every internal host by each of its addresses. */
export function hostsByAddress(network: Network): Map<string, Host> {
  let map = indexes.get(network);
  if (!map) {
    map = new Map();
    const hosts = [...network.workstations, ...Object.values(network.servers).flat(), ...Object.values(network.dmz)];
    for (const h of hosts) {
      map.set(h.ipv4, h);
      if (h.ipv6) map.set(h.ipv6, h);
    }
    indexes.set(network, map);
  }
  return map;
}
