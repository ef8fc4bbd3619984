import { DOMAIN, type Host, type Network } from '../network.js';
import { UPLINK_IF } from '../routing.js';
import { TCP, type Session } from '../session.js';

/**
 * Where the proxies sit and whom they see. Both intercept transparently at the edge, which is
 * why the flows show workstations talking to web servers directly: a Blue Coat ProxySG for the
 * head office (every workstation VLAN but the last, and the servers), which inspects TLS, and a
 * Squid for the branch office (the last workstation VLAN), which tunnels TLS without opening it.
 * QUIC (UDP) goes past both, and traffic that stays inside the company never reaches them.
 */

export type ProxyFormat = 'bluecoat' | 'squid';

export interface ProxySensor {
  /** Names the log files: `<name>-YYYYMMDD-HH.log`. */
  readonly name: string;
  readonly format: ProxyFormat;
  /** The appliance's own address, which Blue Coat logs as s-ip (Squid's native format has no field for it). */
  readonly address: string | null;
  /** Opens TLS (https is logged request by request) but for the categories it exempts; otherwise every https connection is one tunnel. */
  readonly inspectsTls: boolean;
  /** Categories the policy refuses. */
  readonly denies: ReadonlySet<string>;
}

export const HEAD_OFFICE: ProxySensor = {
  name: 'bluecoat-hq',
  format: 'bluecoat',
  address: '172.16.10.5',
  inspectsTls: true,
  denies: new Set(['Phishing', 'Malicious Sources/Malnets']),
};

export const BRANCH_OFFICE: ProxySensor = { name: 'squid-branch', format: 'squid', address: null, inspectsTls: false, denies: new Set() };

/** Who a client is, as the proxy knows it: the host, and the user it authenticated there (workstations only). */
export interface ProxyClient {
  readonly host: Host;
  readonly sensor: ProxySensor;
  readonly username: string | null;
  readonly authGroup: string | null;
}

const FIRST = ['anna', 'ben', 'carla', 'david', 'elif', 'farid', 'grace', 'hugo', 'ines', 'jonas', 'kim', 'lena', 'marc', 'nora', 'omar', 'paula', 'quentin', 'rosa', 'sven', 'tara'];
const LAST = ['berg', 'costa', 'dubois', 'evans', 'fischer', 'garcia', 'hansen', 'ito', 'jensen', 'kowalski', 'lopez', 'meyer', 'novak', 'olsen', 'petrov', 'quinn', 'rossi', 'silva', 'tanaka', 'weber', 'young'];
export const DEPARTMENTS = ['Sales', 'Finance', 'Engineering', 'Engineering', 'Operations', 'Marketing', 'HR', 'IT', 'Legal', 'Support'] as const;

/** The user of a workstation: "anna.berg", unique per index (a number follows once the names run out). */
export function userOf(index: number): string {
  const pairs = FIRST.length * LAST.length;
  const n = index % pairs;
  const name = `${FIRST[n % FIRST.length]}.${LAST[Math.floor(n / FIRST.length)]}`;
  return index < pairs ? name : `${name}${Math.floor(index / pairs) + 1}`;
}

export function departmentOf(index: number): (typeof DEPARTMENTS)[number] {
  return DEPARTMENTS[(index * 7) % DEPARTMENTS.length]!;
}

/** The proxies' view of the network: which client each address is, and which sessions cross a proxy. */
export class ProxyTopology {
  readonly #clients = new Map<string, ProxyClient>();
  readonly #network: Network;

  constructor(network: Network) {
    this.#network = network;
    const branch = new Set(branchWorkstations(network));
    for (const host of network.workstations) {
      const sensor = branch.has(host) ? BRANCH_OFFICE : HEAD_OFFICE;
      const group = `${DOMAIN.split('.')[0]!.toUpperCase()}\\${departmentOf(host.index)}`;
      this.#add(host, { host, sensor, username: userOf(host.index), authGroup: sensor === HEAD_OFFICE ? group : null });
    }
    for (const host of Object.values(network.servers).flat()) this.#add(host, { host, sensor: HEAD_OFFICE, username: null, authGroup: null });
  }

  /** The client of a session that a proxy logs, or null: HTTP(S) over TCP from inside to the internet. */
  clientOf(s: Session): ProxyClient | null {
    if (s.proto !== TCP || !s.app?.http || (s.dport !== 80 && s.dport !== 443)) return null;
    const client = this.#clients.get(s.src);
    if (!client || this.#network.routing.lookup(s.dst).ifIndex !== UPLINK_IF) return null;
    return client;
  }

  /** The sensor that logs a host's web traffic. */
  sensorOf(host: Host): ProxySensor {
    return this.#clients.get(host.ipv4)!.sensor;
  }

  #add(host: Host, client: ProxyClient): void {
    this.#clients.set(host.ipv4, client);
    if (host.ipv6) this.#clients.set(host.ipv6, client);
  }
}

/** The branch office's workstations: the last VLAN's. */
export function branchWorkstations(network: Network): readonly Host[] {
  return network.vlans[network.vlans.length - 1]!.hosts;
}

export const SENSORS: readonly ProxySensor[] = [HEAD_OFFICE, BRANCH_OFFICE];
