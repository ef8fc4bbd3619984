import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp.js';
import { loadNetworkContext } from './network-context.js';

describe('network context file', () => {
  it('reads CSV and whitespace lines, IPv4 and IPv6, and reports a bad line by file and line', async () => {
    const path = join(tempDir(), 'context.csv');
    writeFileSync(
      path,
      [
        'network,label',
        '# comment',
        '10.0.0.0/8,Corporate',
        '10.20.0.0/16,"Finance, HQ"',
        '10.20.30.40 Payroll server',
        '172.16.0.0/33,Broken',
        '192.168.1.10-192.168.1.20\tVPN pool',
        '2001:db8:1::/48,DMZ v6',
        '10.9.9.9',
        '',
      ].join('\n'),
    );
    const warnings: string[] = [];
    const map = await loadNetworkContext(path, (m) => warnings.push(m));
    expect(warnings).toEqual([`${path}:6: "172.16.0.0/33": prefix must be 0-32`, `${path}:9: "10.9.9.9" has no label`]);
    expect(map.get('10.1.1.1')).toBe('Corporate');
    expect(map.get('10.20.1.1')).toBe('Finance, HQ');
    expect(map.get('10.20.30.40')).toBe('Payroll server');
    expect(map.get('192.168.1.15')).toBe('VPN pool');
    expect(map.get('192.168.1.21')).toBeUndefined();
    expect(map.get('2001:db8:1:2::1')).toBe('DMZ v6');
    expect(map.get('172.16.0.1')).toBeUndefined();
  });

  it('an unreadable file is an error naming it', async () => {
    const path = join(tempDir(), 'missing.csv');
    await expect(loadNetworkContext(path, () => {})).rejects.toThrow(`${path}: cannot read: ENOENT`);
  });
});
