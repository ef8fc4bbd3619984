/**
 * Ingest: decoders turn telemetry files into canonical rows; the run loop handles discovery,
 * the worker pool, the manifest, quarantine and atomic lake commits.
 * @module
 */
export { Ingestor, type IngestRequest, type IngestSummary, type FileOutcome, type IngestReporter, type OutcomeStatus } from './run.js';
export { watchAndIngest, type WatchOptions } from './watch.js';
export { DECODERS, decodersFor, decoderNamed } from './registry.js';
export { ingestConfig, type IngestConfig } from './config.js';
export type { Decoder, RowDecoder, ToolDecoder, RowSink, SourceFile, DecodeContext } from './decoder.js';
