/**
 * The lake: canonical rows as Parquet in <lake>/<type>/y=/m=/d=/h=/, the manifest of ingested
 * sources, the quarantine, and the atomic commit that makes a source's files visible.
 * @module
 */
export { LAKE_DIRS, listPartitions, partitionDir, partitionOf, partitionPath, partitionStart, typeDir, type Partition } from './layout.js';
export { Manifest, type ManifestEntry, type SourceStatus } from './manifest.js';
export { summariseLake, type LakeSummary, type HourCount, type QuarantineCount, type SourceCount } from './summary.js';
export { exportCsv } from './export.js';
export { lakeConfig, type LakeConfig } from './config.js';
