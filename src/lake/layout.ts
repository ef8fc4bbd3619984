import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PartitionColumn } from '../schema/index.js';

/**
 * The lake's folders. Data: <lake>/<type>/y=YYYY/m=M/d=D/h=H/<file>.parquet, numbers not
 * zero-padded (Hive's convention for integer partitions), hours in UTC. Folders starting with
 * "_" are the lake's own bookkeeping; Spark, Hive and Trino skip them.
 */
export const LAKE_DIRS = {
  manifest: '_manifest',
  staging: '_staging',
  tmp: '_tmp',
  quarantine: 'quarantine',
  /** ML results: <lake>/scores/<type>/y=/m=/d=/<type>_results.parquet. */
  scores: 'scores',
  /** Saved models: <lake>/models/<type>/<day>/. */
  models: 'models',
  /** Operational analytics: <lake>/oa/<table>/y=/m=/d=/<table>.parquet. */
  oa: 'oa',
} as const;

export type Partition = Readonly<Record<PartitionColumn, number>>;

export const typeDir = (lake: string, type: string): string => join(lake, type);

export function partitionPath(p: Partition): string {
  return `y=${p.y}/m=${p.m}/d=${p.d}/h=${p.h}`;
}

export const partitionDir = (lake: string, type: string, p: Partition): string => join(lake, type, partitionPath(p));

export function partitionOf(ms: number): Partition {
  const t = new Date(ms);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours() };
}

/** Epoch milliseconds of the partition's hour. */
export function partitionStart(p: Partition): number {
  return Date.UTC(p.y, p.m - 1, p.d, p.h);
}

const PART_RE = { y: /^y=(\d{4})$/, m: /^m=(\d{1,2})$/, d: /^d=(\d{1,2})$/, h: /^h=(\d{1,2})$/ } as const;

/** Every hour folder of a type that exists, in time order. */
export async function listPartitions(lake: string, type: string): Promise<Partition[]> {
  const out: Partition[] = [];
  const level = async (dir: string, key: PartitionColumn): Promise<number[]> => {
    const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    return names.flatMap((n) => {
      const m = PART_RE[key].exec(n);
      return m ? [Number(m[1])] : [];
    });
  };
  const base = typeDir(lake, type);
  for (const y of await level(base, 'y')) {
    for (const m of await level(join(base, `y=${y}`), 'm')) {
      for (const d of await level(join(base, `y=${y}`, `m=${m}`), 'd')) {
        for (const h of await level(join(base, `y=${y}`, `m=${m}`, `d=${d}`), 'h')) out.push({ y, m, d, h });
      }
    }
  }
  return out.sort((a, b) => partitionStart(a) - partitionStart(b));
}

/** Parse "y=2026/m=11/d=27/h=5" (any prefix before it is ignored). */
export function parsePartitionPath(path: string): Partition | null {
  const m = /y=(\d{4})\/m=(\d{1,2})\/d=(\d{1,2})\/h=(\d{1,2})(?:\/|$)/.exec(path.replaceAll('\\', '/'));
  return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), h: Number(m[4]) } : null;
}
