import { z } from 'zod';

export const engineConfig = z
  .strictObject({
    kind: z.enum(['duckdb']).default('duckdb').meta({ description: 'SQL engine for every set-based stage. duckdb is embedded; spark (Spark Connect) follows.' }),
    duckdb: z
      .strictObject({
        threads: z.number().int().min(0).default(0).meta({ description: 'Worker threads; 0 uses every core.' }),
        memoryLimit: z
          .string()
          .regex(/^(\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)|\d{1,3}%)?$/i, 'a size such as 4GB, or a percentage such as 50%')
          .default('')
          .meta({ description: "Memory DuckDB may use before spilling to disk, e.g. '4GB'. Empty: DuckDB's default (80% of RAM), and 512MB in each decode worker." }),
        tempDirectory: z.string().default('').meta({ description: 'Where DuckDB spills, each instance (the loader, every decode worker) in a folder of its own below it; empty: <lake>/_tmp.' }),
      })
      .default({ threads: 0, memoryLimit: '', tempDirectory: '' }),
  })
  .meta({ description: 'The engine that runs SQL over the lake.' });

export type EngineConfig = z.infer<typeof engineConfig>;
