import { numberToIpv4, ipv4ToNumber } from '../shared/ip.js';
import { buildInternet, type Internet } from './internet.js';
import type { Prng } from './prng.js';
import { RoutingTable, UPLINK_IF } from './routing.js';

/**
 * The synthetic enterprise: workstation VLANs (10.10.k.0/24), a server subnet (10.20.0.0/24),
 * a DMZ (172.16.10.0/24) and the internet. Some hosts are dual-stack with unique-local IPv6
 * (fd5e:…); their IPv6 traffic to the internet is exported before the edge's NPTv6
 * translation, which is why ULA sources meet global destinations in the flows.
 * One core router routes between all of them and exports NetFlow, metering every interface on
 * ingress. Its SNMP interfaces: 1 the internet uplink, 2 the DMZ, 3 the servers, 101 + k
 * workstation VLAN k. Traffic inside one VLAN never crosses it, so no activity relies on that.
 */

export const DOMAIN = 'corp.example';

export const SERVER_ROLES = ['dns', 'dc', 'mail', 'file', 'backup', 'wsus', 'database', 'intranet', 'app', 'print', 'scanner', 'nms', 'printer'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];
export type DmzRole = 'web' | 'mx' | 'vpn';
export type HostRole = 'workstation' | ServerRole | `dmz-${DmzRole}`;

export interface Host {
  /** Short stable id, also the host name's first label: ws-0007, dc-1, dmz-web. */
  readonly id: string;
  readonly fqdn: string;
  readonly role: HostRole;
  /** Position among hosts of its role, from 0. */
  readonly index: number;
  readonly ipv4: string;
  readonly ipv6: string | null;
  /** SNMP index of the router interface facing the host's subnet. */
  readonly ifIndex: number;
  /** Powered and busy around the clock, not only in office hours. */
  readonly alwaysOn: boolean;
  readonly os: 'windows' | 'linux' | 'embedded';
  /** TCP ports the host listens on: what a scan finds open. */
  readonly openTcp: readonly number[];
}

export interface Vlan {
  readonly index: number;
  readonly cidr: string;
  readonly cidr6: string;
  readonly ifIndex: number;
  readonly hosts: readonly Host[];
}

export interface Network {
  readonly workstations: readonly Host[];
  readonly vlans: readonly Vlan[];
  readonly servers: { readonly [R in ServerRole]: readonly Host[] };
  readonly dmz: { readonly [R in DmzRole]: Host };
  readonly internet: Internet;
  readonly routing: RoutingTable;
}

export const SERVER_SUBNET = { v4: '10.20.0.0/24', v6: 'fd5e:1a7e:c0de:20::/64', ifIndex: 3 } as const;
export const DMZ_SUBNET = { v4: '172.16.10.0/24', ifIndex: 2 } as const;
const WORKSTATION_BASE = ipv4ToNumber('10.10.0.0');
const HOSTS_PER_VLAN = 200;
const FIRST_HOST = 10;
/** Share of workstations that are dual-stack, and that stay on around the clock. */
const DUAL_STACK = 0.3;
const ALWAYS_ON = 0.25;

const WINDOWS_WS = [135, 139, 445, 3389, 5985];
const BACKUP_AGENT = 10000;

/** Per server role: how many, first address in 10.20.0.0/24, operating system, open TCP ports, IPv6. */
const SERVER_PLAN: { readonly [R in ServerRole]: readonly [count: number, first: number, os: Host['os'], ports: readonly number[], v6: boolean] } = {
  dns: [2, 10, 'linux', [22, 53], true],
  dc: [2, 20, 'windows', [53, 88, 135, 139, 389, 445, 464, 636, 3268, 3269, 3389, 5985, BACKUP_AGENT], true],
  mail: [1, 30, 'windows', [25, 135, 443, 587, 993, 3389, 5985, BACKUP_AGENT], true],
  file: [2, 40, 'windows', [135, 139, 445, 3389, 5985, BACKUP_AGENT], true],
  backup: [1, 50, 'linux', [22, 443, BACKUP_AGENT], false],
  wsus: [1, 60, 'windows', [135, 445, 3389, 8530, 8531, BACKUP_AGENT], false],
  database: [1, 70, 'linux', [22, 5432, BACKUP_AGENT], false],
  intranet: [1, 80, 'linux', [22, 80, 443, BACKUP_AGENT], true],
  app: [1, 81, 'linux', [22, 8080, 8443, BACKUP_AGENT], false],
  print: [1, 90, 'windows', [135, 445, 515, 631, 3389, 9100], false],
  scanner: [1, 100, 'linux', [22, 443, 8834], false],
  nms: [1, 110, 'linux', [22, 80, 443], true],
  printer: [4, 200, 'embedded', [80, 443, 515, 631, 9100], false],
};

export function buildNetwork(workstationCount: number, prng: Prng): Network {
  const vlanCount = Math.max(2, Math.ceil(workstationCount / HOSTS_PER_VLAN));
  const perVlan = Math.ceil(workstationCount / vlanCount);
  const wsPrng = prng.fork('workstations');
  const alwaysOn = new Set(wsPrng.sample([...Array(workstationCount).keys()], Math.max(4, Math.round(workstationCount * ALWAYS_ON))));
  const vlans: Vlan[] = [];
  const workstations: Host[] = [];
  for (let k = 0; k < vlanCount; k++) {
    const hosts: Host[] = [];
    const ifIndex = 101 + k;
    for (let j = 0; j < perVlan && workstations.length < workstationCount; j++) {
      const i = workstations.length;
      const host: Host = {
        id: `ws-${String(i + 1).padStart(4, '0')}`,
        fqdn: `ws-${String(i + 1).padStart(4, '0')}.${DOMAIN}`,
        role: 'workstation',
        index: i,
        ipv4: numberToIpv4(WORKSTATION_BASE + k * 256 + FIRST_HOST + j),
        ipv6: wsPrng.chance(DUAL_STACK) ? `fd5e:1a7e:c0de:10${k.toString(16).padStart(2, '0')}::${(FIRST_HOST + j).toString(16)}` : null,
        ifIndex,
        alwaysOn: alwaysOn.has(i),
        os: 'windows',
        openTcp: WINDOWS_WS,
      };
      hosts.push(host);
      workstations.push(host);
    }
    vlans.push({
      index: k,
      cidr: `${numberToIpv4(WORKSTATION_BASE + k * 256)}/24`,
      cidr6: `fd5e:1a7e:c0de:10${k.toString(16).padStart(2, '0')}::/64`,
      ifIndex,
      hosts,
    });
  }
  const servers = {} as Record<ServerRole, Host[]>;
  for (const role of SERVER_ROLES) servers[role] = serversOf(role);
  const dmz: Network['dmz'] = {
    web: dmzHost('web', 10, 'linux', [22, 80, 443]),
    mx: dmzHost('mx', 20, 'linux', [25]),
    vpn: dmzHost('vpn', 30, 'embedded', [443]),
  };
  const internet = buildInternet(prng.fork('internet'));
  const routing = new RoutingTable([
    ...vlans.flatMap((v) => [{ cidr: v.cidr, ifIndex: v.ifIndex, asn: 0 }, { cidr: v.cidr6, ifIndex: v.ifIndex, asn: 0 }]),
    { cidr: SERVER_SUBNET.v4, ifIndex: SERVER_SUBNET.ifIndex, asn: 0 },
    { cidr: SERVER_SUBNET.v6, ifIndex: SERVER_SUBNET.ifIndex, asn: 0 },
    { cidr: DMZ_SUBNET.v4, ifIndex: DMZ_SUBNET.ifIndex, asn: 0 },
    ...internet.providers.flatMap((p) => [...p.v4, ...p.v6].map((cidr) => ({ cidr, ifIndex: UPLINK_IF, asn: p.asn }))),
  ]);
  return { workstations, vlans, servers, dmz, internet, routing };
}

function serversOf(role: ServerRole): Host[] {
  const [count, first, os, ports, v6] = SERVER_PLAN[role];
  return Array.from({ length: count }, (_, i) => {
    const id = count > 1 || role === 'printer' ? `${role}-${i + 1}` : role;
    const octet = first + i;
    return {
      id,
      fqdn: `${id}.${DOMAIN}`,
      role,
      index: i,
      ipv4: `10.20.0.${octet}`,
      ipv6: v6 ? `fd5e:1a7e:c0de:20::${octet.toString(16)}` : null,
      ifIndex: SERVER_SUBNET.ifIndex,
      alwaysOn: true,
      os,
      openTcp: ports,
    };
  });
}

function dmzHost(role: DmzRole, octet: number, os: Host['os'], ports: number[]): Host {
  return {
    id: `dmz-${role}`,
    fqdn: `${role === 'mx' ? 'mail' : role === 'web' ? 'www' : 'vpn'}.${DOMAIN}`,
    role: `dmz-${role}`,
    index: 0,
    ipv4: `172.16.10.${octet}`,
    ipv6: null,
    ifIndex: DMZ_SUBNET.ifIndex,
    alwaysOn: true,
    os,
    openTcp: ports,
  };
}
