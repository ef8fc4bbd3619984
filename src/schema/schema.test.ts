import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { dialectFor } from '../engine/dialect/index.js';
import { createTableSql, csvHeader, dns, flow, proxy, TABLES, type DnsRow, type FlowRow, type ProxyRow, type TableDef } from './index.js';
import { renderSchemaDoc } from './doc.js';
import { renderConfigDoc } from '../config/doc.js';

/** Golden files pin every derived artefact; UPDATE_GOLDEN=1 rewrites them for review in the diff. */
function golden(name: string, actual: string): void {
  const path = fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual, `${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, 'utf8'));
}
const docs = (name: string) => readFileSync(fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)), 'utf8');
const spotColumns = (t: TableDef) => t.columnNames.filter((n) => t.columns[n]!.spot).join(',');

const SPOT = {
  flow: 'treceived,unix_tstamp,tryear,trmonth,trday,trhour,trminute,trsec,tdur,sip,dip,sport,dport,proto,flag,fwd,stos,ipkt,ibyt,opkt,obyt,input,output,sas,das,dtos,dir,rip',
  dns: 'frame_time,unix_tstamp,frame_len,ip_dst,ip_src,dns_qry_name,dns_qry_class,dns_qry_type,dns_qry_rcode,dns_a',
  proxy:
    'p_date,p_time,clientip,host,reqmethod,useragent,resconttype,duration,username,authgroup,exceptionid,filterresult,webcat,referer,respcode,action,urischeme,uriport,uripath,uriquery,uriextension,serverip,scbytes,csbytes,virusid,bcappname,bcappoper,fulluri',
};

describe.each(Object.values(TABLES) as TableDef[])('$name schema', (table) => {
  const spot = SPOT[table.name as keyof typeof SPOT];

  it("starts with Spot's columns, in Spot's order", () => {
    expect(table.columnNames.slice(0, spot.split(',').length).join(',')).toBe(spot);
    expect(spotColumns(table)).toBe(spot);
  });

  it('derives its CSV header, DDL and hash (golden files)', () => {
    golden(`${table.name}.csv-header`, csvHeader(table) + '\n');
    golden(`${table.name}.duckdb.sql`, createTableSql(table, dialectFor('duckdb')) + '\n');
    golden(`${table.name}.spark.sql`, createTableSql(table, dialectFor('spark'), { location: `/lake/${table.name}` }) + '\n');
    golden(`${table.name}.hash`, table.hash + '\n');
  });
});

describe('schemas', () => {
  it('name the flow CSV columns exactly', () => {
    expect(csvHeader(flow)).toBe(`${SPOT.flow},tstart,tend,sensor,state,uid,label`);
  });

  it('derive the TypeScript row types', () => {
    expectTypeOf<FlowRow['dport']>().toEqualTypeOf<number>();
    expectTypeOf<FlowRow['tstart']>().toEqualTypeOf<number>();
    expectTypeOf<FlowRow['sip']>().toEqualTypeOf<string>();
    expectTypeOf<FlowRow['opkt']>().toEqualTypeOf<number | null>();
    expectTypeOf<FlowRow>().not.toHaveProperty('trhour');
    expectTypeOf<FlowRow>().not.toHaveProperty('tdur');
    expectTypeOf<DnsRow['dns_answers']>().toEqualTypeOf<string[] | null>();
    expectTypeOf<DnsRow['dns_qr']>().toEqualTypeOf<boolean>();
    expectTypeOf<DnsRow>().not.toHaveProperty('unix_tstamp');
    expectTypeOf<ProxyRow['ts']>().toEqualTypeOf<number>();
    expectTypeOf<ProxyRow>().not.toHaveProperty('p_date');
  });

  it('derive Spot time columns in each dialect', () => {
    const ddl = createTableSql(proxy, dialectFor('duckdb'));
    expect(ddl).toContain('"p_date" VARCHAR');
    expect(createTableSql(dns, dialectFor('spark'))).toContain('`dns_answers` ARRAY<STRING>');
  });

  it('keep the generated docs current (run `npm run docs` after a schema or config change)', () => {
    expect(docs('schema.md')).toBe(renderSchemaDoc());
    expect(docs('configuration.md')).toBe(renderConfigDoc());
  });
});
