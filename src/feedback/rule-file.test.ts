import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { Feedback } from './feedback.js';
import { parseRuleCsv, parseRuleYaml } from './rule-file.js';
import { FeedbackStore } from './store.js';

const CSV = `name,type,cidr,domain,ports,owner,comment,expires_at
backup,flow,10.0.0.5,,22,ops,"nightly, to the NAS",
updates,,,*.windowsupdate.com,,it,,2027-01-01
`;

const YAML = `rules:
  - name: backup
    type: flow
    cidr: 10.0.0.5
    ports: [22, 873]
    owner: ops
  - name: agent
    useragent: "Veeam*"
    owner: it
    expires_at: 2027-01-01T06:00Z
`;

describe('rule files', () => {
  it('read CSV and YAML into checked, canonical rules', () => {
    expect(parseRuleCsv(CSV, 'r.csv').map((r) => [r.name, r.type, r.cidr, r.domain, r.ports, r.owner, r.comment, r.expires_at?.toISOString() ?? null])).toEqual([
      ['backup', 'flow', '10.0.0.5/32', null, '22', 'ops', 'nightly, to the NAS', null],
      ['updates', null, null, '*.windowsupdate.com', null, 'it', null, '2027-01-01T00:00:00.000Z'],
    ]);
    expect(parseRuleYaml(YAML, 'r.yaml').map((r) => [r.name, r.ports, r.useragent, r.expires_at?.toISOString() ?? null])).toEqual([
      ['backup', '22,873', null, null],
      ['agent', null, 'Veeam*', '2027-01-01T06:00:00.000Z'],
    ]);
  });

  it.each([
    ['bad CIDR in CSV', 'r.csv', `name,cidr,owner\nok,10.0.0.0/8,ops\nbad,10.0.0.1/8,ops\n`, 'r.csv:3: rule "bad": cidr: "10.0.0.1/8": host bits are set; the network is 10.0.0.0/8'],
    ['unknown CSV column', 'r.csv', `name,cidrs,owner\nx,10.0.0.0/8,ops\n`, 'r.csv:1: unknown column "cidrs"; the columns are name, type, cidr'],
    ['ragged CSV row', 'r.csv', `name,cidr,owner\nx,10.0.0.0/8\n`, 'r.csv:2: not a valid CSV file'],
    ['duplicate name', 'r.csv', `name,cidr,owner\nx,10.0.0.0/8,ops\nx,10.1.0.0/16,ops\n`, 'r.csv:3: rule "x" is already defined on line 2'],
    ['no condition', 'r.csv', `name,owner,comment\nx,ops,nothing\n`, 'r.csv:2: rule "x": a rule needs at least one condition'],
    ['bad port in YAML, at its field', 'r.yaml', `- name: a\n  owner: ops\n  ports: 22\n- name: b\n  owner: ops\n  comment: x\n  ports: 99999\n`, 'r.yaml:7: rule "b": ports: "99999": a port is 0 to 65535'],
    ['bad expiry in YAML', 'r.yaml', `- name: a\n  owner: ops\n  cidr: ::/0\n  expires_at: 2026-02-30\n`, 'r.yaml:4: rule "a": expires_at: "2026-02-30" is not a date'],
    ['YAML syntax', 'r.yaml', `- name: a\n  owner: ops\n  cidr: x: y\n`, 'r.yaml:3: not valid YAML: Nested mappings are not allowed in compact mappings'],
    ['YAML duplicate key', 'r.yaml', `- name: a\n  owner: ops\n  owner: ops2\n`, 'r.yaml:3: not valid YAML: Map keys must be unique'],
    ['YAML unknown field', 'r.yaml', `rules:\n  - name: a\n    owner: ops\n    cidr: 10.0.0.0/8\n    sidr: x\n`, 'r.yaml:5: rule "a": sidr: not a rule field'],
    ['YAML not a list', 'r.yaml', `rules: {name: a}\n`, 'r.yaml:1: expected a list of rules'],
  ])('reject a file with %s, naming the line and the reason', (_what, name, text, message) => {
    const parse = name.endsWith('.csv') ? parseRuleCsv : parseRuleYaml;
    expect(() => parse(text, name)).toThrow(message);
  });

  it('import a valid file in one change; a bad file changes nothing; export round-trips', async () => {
    const dir = tempDir();
    const f = new Feedback(new FeedbackStore(join(dir, 'feedback.duckdb')));
    writeFileSync(join(dir, 'rules.csv'), CSV);
    expect(await f.importRules(join(dir, 'rules.csv'), 'ann')).toEqual({ change: 1, added: 2, updated: 0, deleted: 0, unchanged: 0 });
    const before = await f.rules();
    writeFileSync(join(dir, 'bad.yaml'), YAML.replace('cidr: 10.0.0.5', 'cidr: 10.0.0.5/33'));
    await expect(f.importRules(join(dir, 'bad.yaml'), 'ann')).rejects.toThrow(`${join(dir, 'bad.yaml')}:4: rule "backup": cidr: "10.0.0.5/33": the prefix length must be 0 to 32`);
    expect(await f.rules()).toEqual(before);
    expect((await f.changes()).length).toBe(1);

    writeFileSync(join(dir, 'new.yaml'), YAML);
    expect(await f.importRules(join(dir, 'new.yaml'), 'ann', { replace: true })).toEqual({ change: 2, added: 1, updated: 1, deleted: 1, unchanged: 0 });
    const yaml = await f.exportRules('yaml');
    expect(yaml).toBe(`# Spothreat suppression rules (docs/noise-filter.md)
rules:
  - name: backup
    type: flow
    cidr: 10.0.0.5/32
    ports: 22,873
    owner: ops
  - name: agent
    useragent: Veeam*
    owner: it
    expires_at: 2027-01-01T06:00:00.000Z
`);
    writeFileSync(join(dir, 'same.yaml'), yaml);
    expect(await f.importRules(join(dir, 'same.yaml'), 'ann')).toMatchObject({ added: 0, updated: 0, deleted: 0, unchanged: 2 });
    expect(await f.exportRules('csv')).toBe(
      'id,name,type,cidr,src_cidr,dst_cidr,domain,ports,src_ports,proto,uri_prefix,useragent,detector,owner,comment,expires_at\n' +
        '1,backup,flow,10.0.0.5/32,,,,"22,873",,,,,,ops,,\n' +
        '3,agent,,,,,,,,,,Veeam*,,it,,2027-01-01T06:00:00.000Z\n',
    );
    await f.undo('ann', 2);
    expect(await f.rules()).toEqual(before);
  });
});
