#!/usr/bin/env node
// Benchmarks against the reference tools, on the same input in the same run.
// Usage: npm run bench [-- --only flow,dns,proxy,ml] [--flow-sizes 1000000,10000000]
// Prints tables and rewrites the results sections of docs/benchmarks.md.
import { mkdirSync } from 'node:fs';
import { benchDnsIngest } from './dns-ingest.mjs';
import { benchFlowIngest } from './flow-ingest.mjs';
import { benchProxyIngest } from './proxy-ingest.mjs';
import { benchMlFlow } from './ml-flow.mjs';
import { benchOa } from './oa.mjs';
import { work } from './lib.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const only = new Set(arg('--only', 'flow,dns,proxy,ml,oa').split(','));

mkdirSync(work, { recursive: true });
if (only.has('flow')) benchFlowIngest(arg('--flow-sizes', '1000000,10000000').split(',').map(Number));
if (only.has('dns')) benchDnsIngest();
if (only.has('proxy')) await benchProxyIngest();
if (only.has('ml')) benchMlFlow();
if (only.has('oa')) benchOa();
