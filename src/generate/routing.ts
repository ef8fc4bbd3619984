import { BlockList } from 'node:net';
import { parseCidr } from '../shared/ip.js';

/** SNMP index of the router's internet uplink. */
export const UPLINK_IF = 1;

export interface Route {
  readonly cidr: string;
  /** SNMP index of the interface the prefix is reached through. */
  readonly ifIndex: number;
  /** Origin AS of the prefix; 0 for our own address space, as exporters report it. */
  readonly asn: number;
}

const DEFAULT_ROUTE: Route = { cidr: '0.0.0.0/0', ifIndex: UPLINK_IF, asn: 0 };

/**
 * The exporting router's view of where an address lives: longest-prefix match over the
 * internal subnets and the providers' prefixes, as a router fills input/output interface and
 * source/destination AS from its routing table. Lookups are cached per address.
 */
export class RoutingTable {
  readonly #routes: { route: Route; list: BlockList; family: 'ipv4' | 'ipv6' }[];
  readonly #cache = new Map<string, Route>();

  constructor(routes: readonly Route[]) {
    this.#routes = routes
      .map((route) => {
        const c = parseCidr(route.cidr);
        const list = new BlockList();
        const family = c.family === 4 ? 'ipv4' : 'ipv6';
        list.addSubnet(c.address, c.prefix, family);
        return { route, list, family, prefix: c.prefix } as const;
      })
      .sort((a, b) => b.prefix - a.prefix);
  }

  lookup(address: string): Route {
    let route = this.#cache.get(address);
    if (!route) {
      const family = address.includes(':') ? 'ipv6' : 'ipv4';
      route = this.#routes.find((r) => r.family === family && r.list.check(address, family))?.route ?? DEFAULT_ROUTE;
      this.#cache.set(address, route);
    }
    return route;
  }
}
