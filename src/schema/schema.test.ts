import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { dialectFor } from '../engine/dialect/index.js';
import { createTableSql, csvHeader, flow, type FlowRow } from './index.js';
import { renderSchemaDoc } from './doc.js';
import { renderConfigDoc } from '../config/doc.js';

const golden = (name: string) => readFileSync(fileURLToPath(new URL(`./testdata/${name}`, import.meta.url)), 'utf8');
const docs = (name: string) => readFileSync(fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)), 'utf8');

const SPOT_FLOW = 'treceived,unix_tstamp,tryear,trmonth,trday,trhour,trminute,trsec,tdur,sip,dip,sport,dport,proto,flag,fwd,stos,ipkt,ibyt,opkt,obyt,input,output,sas,das,dtos,dir,rip';

describe('flow schema', () => {
  it("starts with Spot's 28 columns, in Spot's order", () => {
    expect(flow.columnNames.slice(0, 28).join(',')).toBe(SPOT_FLOW);
    expect(flow.columnNames.filter((n) => flow.columns[n as keyof typeof flow.columns].spot).join(',')).toBe(SPOT_FLOW);
  });

  it('has one CSV header, derived from the definition', () => {
    expect(csvHeader(flow)).toBe(`${SPOT_FLOW},tstart,tend,sensor,state,uid,label`);
  });

  it('derives DDL for DuckDB and Spark (golden files)', () => {
    expect(createTableSql(flow, dialectFor('duckdb')) + '\n').toBe(golden('flow.duckdb.sql'));
    expect(createTableSql(flow, dialectFor('spark'), { location: '/lake/flow' }) + '\n').toBe(golden('flow.spark.sql'));
  });

  it('derives the TypeScript row type', () => {
    expectTypeOf<FlowRow['dport']>().toEqualTypeOf<number>();
    expectTypeOf<FlowRow['tstart']>().toEqualTypeOf<number>();
    expectTypeOf<FlowRow['sip']>().toEqualTypeOf<string>();
    expectTypeOf<FlowRow['opkt']>().toEqualTypeOf<number | null>();
    expectTypeOf<FlowRow['label']>().toEqualTypeOf<string | null>();
    expectTypeOf<FlowRow>().not.toHaveProperty('trhour');
    expectTypeOf<FlowRow>().not.toHaveProperty('tdur');
  });

  it('has a stable hash that versions the lake', () => {
    expect(flow.hash).toBe(golden('flow.hash').trim());
  });

  it('keeps the generated docs current (run `npm run docs` after a schema or config change)', () => {
    expect(docs('schema.md')).toBe(renderSchemaDoc());
    expect(docs('configuration.md')).toBe(renderConfigDoc());
  });
});
