import type { Host, Network, Vlan } from '../network.js';
import type { Prng } from '../prng.js';

/**
 * The compromised workstations, the same every day for a seed: one runs the C2 implant
 * (beaconing, then a scan and lateral movement), one leaks data, one holds a reverse shell,
 * one tunnels over DNS, one beacons over DNS, and one is infected with a DGA. The first five
 * are always-on machines, since their malware runs through the night; a small network with
 * fewer of those gives the DNS roles to machines that already have one.
 */
export interface Victims {
  readonly implant: Host;
  readonly leaker: Host;
  readonly shell: Host;
  readonly tunneller: Host;
  readonly dnsBeacon: Host;
  readonly dga: Host;
}

export function pickVictims(network: Network, prng: Prng): Victims {
  const candidates = network.workstations.filter((h) => h.alwaysOn);
  // The first three draws do not depend on how many are drawn: the older victims stay the same.
  const [implant, leaker, shell, tunneller, dnsBeacon] = prng.sample(candidates, 5);
  if (!shell) throw new Error('the network needs at least three always-on workstations');
  const taken = new Set([implant, leaker, shell, tunneller, dnsBeacon]);
  const others = network.workstations.filter((h) => !taken.has(h));
  return {
    implant: implant!,
    leaker: leaker!,
    shell,
    tunneller: tunneller ?? leaker!,
    dnsBeacon: dnsBeacon ?? shell,
    dga: others.length ? prng.pick(others) : implant!,
  };
}

/** The workstation VLAN the implant scans and moves into: the one after its own. */
export function targetVlan(network: Network, victims: Victims): Vlan {
  const own = network.vlans.findIndex((v) => v.hosts.includes(victims.implant));
  return network.vlans[(own + 1) % network.vlans.length]!;
}
