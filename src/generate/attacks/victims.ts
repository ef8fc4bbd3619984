import type { Host, Network, Vlan } from '../network.js';
import type { Prng } from '../prng.js';

/**
 * The compromised workstations, the same every day for a seed: one runs the C2 implant
 * (beaconing, then a scan and lateral movement), one leaks data, one holds a reverse shell.
 * All are always-on machines, since their malware runs through the night.
 */
export interface Victims {
  readonly implant: Host;
  readonly leaker: Host;
  readonly shell: Host;
}

export function pickVictims(network: Network, prng: Prng): Victims {
  const candidates = network.workstations.filter((h) => h.alwaysOn);
  const [implant, leaker, shell] = prng.sample(candidates, 3);
  if (!shell) throw new Error('the network needs at least three always-on workstations');
  return { implant: implant!, leaker: leaker!, shell };
}

/** The workstation VLAN the implant scans and moves into: the one after its own. */
export function targetVlan(network: Network, victims: Victims): Vlan {
  const own = network.vlans.findIndex((v) => v.hosts.includes(victims.implant));
  return network.vlans[(own + 1) % network.vlans.length]!;
}
