import type { Host, Network } from '../network.js';
import type { Prng } from '../prng.js';
import { branchWorkstations } from '../proxy/sensors.js';
import type { Victims } from './victims.js';

/**
 * The workstations of the web attacks, the same every day for a seed: the HTTP implant and the
 * uploader run all day, so they are always-on machines of the head office (its Blue Coat logs
 * request bytes, which the upload shows in); the watering-hole download happens at the branch
 * office (its Squid logs it); two head-office users get the phishing mail. Hosts that already
 * play a part in another attack are avoided while others are left.
 */
export interface HttpVictims {
  readonly beacon: Host;
  readonly uploader: Host;
  readonly downloader: Host;
  /** The first clicks the link and gives the password away; the second clicks after the proxy learnt the site. */
  readonly phished: readonly [Host, Host];
}

export function pickHttpVictims(network: Network, victims: Victims, prng: Prng): HttpVictims {
  const branch = new Set(branchWorkstations(network));
  const taken = new Set<Host>(Object.values(victims));
  const office = network.workstations.filter((h) => !branch.has(h));
  const choose = (candidates: readonly Host[], fallback: readonly Host[]): Host => {
    const free = candidates.filter((h) => !taken.has(h));
    const host = prng.pick(free.length ? free : candidates.length ? candidates : fallback);
    taken.add(host);
    return host;
  };
  const beacon = choose(office.filter((h) => h.alwaysOn), office);
  const uploader = choose(office.filter((h) => h.alwaysOn), office);
  const downloader = choose([...branch], network.workstations);
  const first = choose(office, network.workstations);
  const second = choose(office.filter((h) => h !== first), network.workstations);
  return { beacon, uploader, downloader, phished: [first, second] };
}
