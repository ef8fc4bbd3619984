import { describe, expect, it } from 'vitest';
import { buildNetwork } from './network.js';
import { Prng } from './prng.js';

describe('buildNetwork', () => {
  const network = buildNetwork(450, Prng.fromSeed(42).fork('network'));

  it('spreads workstations over /24 VLANs of at most 200, each behind its own router interface', () => {
    expect(network.workstations).toHaveLength(450);
    expect(network.vlans.map((v) => [v.cidr, v.ifIndex, v.hosts.length])).toEqual([
      ['10.10.0.0/24', 101, 150],
      ['10.10.1.0/24', 102, 150],
      ['10.10.2.0/24', 103, 150],
    ]);
    expect(network.workstations[0]).toMatchObject({ id: 'ws-0001', fqdn: 'ws-0001.corp.example', ipv4: '10.10.0.10', ifIndex: 101, os: 'windows' });
    expect(network.workstations[449]!.ipv4).toBe('10.10.2.159');
    expect(new Set(network.workstations.map((h) => h.ipv4)).size).toBe(450);
    // Small networks still get two VLANs, so that a scan can cross the router.
    expect(buildNetwork(10, Prng.fromSeed(1)).vlans).toHaveLength(2);
  });

  it('makes about a third of the workstations dual-stack and a quarter always on', () => {
    const dual = network.workstations.filter((h) => h.ipv6);
    expect(dual.length / 450).toBeGreaterThan(0.22);
    expect(dual.length / 450).toBeLessThan(0.38);
    expect(dual[0]!.ipv6).toMatch(/^fd5e:1a7e:c0de:10[0-9a-f]{2}::[0-9a-f]+$/);
    expect(network.workstations.filter((h) => h.alwaysOn)).toHaveLength(113);
  });

  it('has the named servers in 10.20.0.0/24 and the public hosts in the DMZ', () => {
    expect(network.servers.dns.map((h) => [h.id, h.ipv4, h.ipv6])).toEqual([
      ['dns-1', '10.20.0.10', 'fd5e:1a7e:c0de:20::a'],
      ['dns-2', '10.20.0.11', 'fd5e:1a7e:c0de:20::b'],
    ]);
    expect(network.servers.dc.map((h) => h.ipv4)).toEqual(['10.20.0.20', '10.20.0.21']);
    expect(network.servers.backup[0]).toMatchObject({ id: 'backup', fqdn: 'backup.corp.example', ipv4: '10.20.0.50', os: 'linux' });
    expect(network.servers.scanner[0]!.ipv4).toBe('10.20.0.100');
    expect(network.dmz.web).toMatchObject({ fqdn: 'www.corp.example', ipv4: '172.16.10.10', ifIndex: 2 });
  });

  it('routes like the exporting router: interface and origin AS by longest prefix', () => {
    const { routing } = network;
    expect(routing.lookup('10.10.2.50')).toMatchObject({ ifIndex: 103, asn: 0 });
    expect(routing.lookup('fd5e:1a7e:c0de:1001::1a')).toMatchObject({ ifIndex: 102, asn: 0 });
    expect(routing.lookup('10.20.0.70')).toMatchObject({ ifIndex: 3, asn: 0 });
    expect(routing.lookup('172.16.10.20')).toMatchObject({ ifIndex: 2, asn: 0 });
    expect(routing.lookup('142.250.74.46')).toMatchObject({ ifIndex: 1, asn: 15169 });
    expect(routing.lookup('2606:4700::6810:84e5')).toMatchObject({ ifIndex: 1, asn: 13335 });
    expect(routing.lookup('203.0.113.45')).toMatchObject({ ifIndex: 1, asn: 64500 });
    expect(routing.lookup('8.8.4.4')).toMatchObject({ ifIndex: 1, asn: 0 });
  });

  it('places every internet service inside its provider', () => {
    for (const service of [...network.internet.web, ...network.internet.updates, ...network.internet.mx]) {
      for (const address of [...service.v4, ...service.v6]) expect(network.routing.lookup(address).asn).toBe(service.provider.asn);
    }
  });
});
