import type { Network } from '../network.js';
import type { Prng } from '../prng.js';
import type { DnsExchange, DnsType } from '../session.js';
import { CorpZone, type Answer } from './corp-zone.js';
import { InternetDns } from './internet-names.js';
import { exchangeOf } from './records.js';

/** What a client asks. */
export interface Question {
  /** As sent: its case is echoed in the response. */
  readonly name: string;
  readonly qtype: DnsType;
  /** An address the answer must list first (the one the client goes on to connect to). */
  readonly prefer?: string;
}

/** Names whose DNSSEC is broken on purpose (a public test domain): validating resolvers answer SERVFAIL. */
const BROKEN = new Set(['dnssec-failed.org', 'www.dnssec-failed.org']);

/**
 * The DNS of the synthetic world: the corporate zones the internal resolvers serve, and the
 * internet behind the public resolver they forward to.
 */
export class DnsWorld {
  readonly zone: CorpZone;
  readonly internet: InternetDns;

  private constructor(network: Network) {
    this.zone = new CorpZone(network);
    this.internet = new InternetDns(network.internet);
  }

  static of(network: Network): DnsWorld {
    let world = worlds.get(network);
    if (!world) worlds.set(network, (world = new DnsWorld(network)));
    return world;
  }

  /** The internal resolvers' answer: with authority for the corporate zones, from their cache for the rest. */
  resolve(q: Question, r: Prng, edns?: number): DnsExchange {
    if (this.zone.holds(q.name)) return answered(q, this.zone.answer(q.name, q.qtype), edns);
    return this.#internet(q, r, true, edns);
  }

  /** The public resolver's answer to a query the internal resolvers forward (a cache miss). */
  upstream(q: Question, r: Prng, edns?: number): DnsExchange {
    return this.#internet(q, r, r.chance(0.7), edns);
  }

  #internet(q: Question, r: Prng, cached: boolean, edns: number | undefined): DnsExchange {
    if (BROKEN.has(q.name.toLowerCase())) return answered(q, { rcode: 'SERVFAIL' }, edns);
    return answered(q, this.internet.answer(q.name, q.qtype, r, { prefer: q.prefer, cached }), edns);
  }
}

const worlds = new WeakMap<Network, DnsWorld>();

function answered(q: Question, a: Answer, edns: number | undefined): DnsExchange {
  return exchangeOf({ query: q.name, qtype: q.qtype, rcode: a.rcode, records: a.records, authority: a.authority, additional: a.additional, authoritative: a.authoritative, edns });
}
