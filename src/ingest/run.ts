import { cpus } from 'node:os';
import { mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { openLoaderEngine, type Engine } from '../engine/index.js';
import { commitSource } from '../lake/commit.js';
import { LakeLock } from '../lake/lock.js';
import { LAKE_DIRS, typeDir } from '../lake/layout.js';
import { SourceLoader } from '../lake/load.js';
import { fingerprintOf, Manifest, sourceIdOf, type SourceStatus } from '../lake/manifest.js';
import type { StagedLayout } from '../lake/staged.js';
import { tableFor, type RejectReason, type TelemetryType } from '../schema/index.js';
import { ConfigError, InputError, UsageError } from '../shared/errors.js';
import type { Decoder, DecodeContext, SourceFile, SourceReject } from './decoder.js';
import { discover } from './discover.js';
import { DecodePool } from './worker-pool.js';
import { decoderNamed, decodersFor, detectDecoder } from './registry.js';
import { readHead } from './source.js';
import { splitIntoChunks, type StagedChunk } from './tool-output.js';

export interface IngestRequest {
  readonly type: TelemetryType;
  readonly paths: readonly string[];
  /** Re-ingest files already in the manifest, replacing their rows. */
  readonly force?: boolean;
  /** Use this decoder instead of detecting the format. */
  readonly decoder?: string;
  /** Sensor name for sources that carry none; overrides ingest.sensor. */
  readonly sensor?: string;
}

export type OutcomeStatus = 'ingested' | 'partial' | 'failed' | 'unchanged' | 'duplicate' | 'unrecognised';

export interface FileOutcome {
  readonly path: string;
  readonly status: OutcomeStatus;
  readonly decoder?: string;
  readonly rows: number;
  readonly quarantined: number;
  readonly message?: string;
}

export interface IngestSummary {
  readonly type: TelemetryType;
  readonly files: FileOutcome[];
  readonly rows: number;
  readonly quarantined: number;
  readonly seconds: number;
  /** Paths that could not be listed or read at all. */
  readonly errors: { readonly path: string; readonly reason: string }[];
}

/** What ingest tells the terminal (or nothing, in tests). */
export interface IngestReporter {
  planned?(files: number, bytes: number): void;
  fileStarted?(file: SourceFile): void;
  rows?(count: number): void;
  fileDone?(outcome: FileOutcome): void;
}

/**
 * Reads telemetry files into the lake: discovery, the manifest, parallel decoding, loading,
 * quarantine and atomic commits. Holds the lake's ingest lock while open.
 */
export class Ingestor {
  readonly #manifests = new Map<TelemetryType, Manifest>();
  readonly #pool: DecodePool;
  readonly #workers: number;
  readonly #abort = new AbortController();
  /** Fingerprints of files being ingested right now, so that two copies in one run count once. */
  readonly #inFlight = new Map<string, string>();

  private constructor(
    private readonly config: Config,
    private readonly engine: Engine,
    private readonly lock: LakeLock,
  ) {
    this.#workers = config.ingest.workers || Math.max(1, cpus().length);
    // Each decode worker writes Parquet through a DuckDB of its own: one thread (two chunk writes
    // still run at once, each on its caller's thread), bounded memory.
    this.#pool = new DecodePool(this.#workers, {
      lakePath: config.lake.path,
      duckdb: { ...config.engine.duckdb, threads: 1, memoryLimit: config.engine.duckdb.memoryLimit || '512MB' },
    });
  }

  static async open(config: Config): Promise<Ingestor> {
    const lock = LakeLock.acquire(config.lake.path);
    try {
      // Whatever an interrupted run staged was never visible; the manifest says what to redo.
      await rm(join(config.lake.path, LAKE_DIRS.staging), { recursive: true, force: true });
      return new Ingestor(config, await openLoaderEngine(config), lock);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Stop: tools are killed, files in progress stay unrecorded and are redone next time. */
  abort(): void {
    this.#abort.abort();
  }

  async close(): Promise<void> {
    await this.#pool.close();
    await this.engine.close();
    this.lock.release();
  }

  async ingest(request: IngestRequest, reporter: IngestReporter = {}): Promise<IngestSummary> {
    const started = performance.now();
    if (request.decoder) {
      const d = decoderNamed(request.decoder);
      if (!d || !decodersFor(request.type).includes(d)) {
        throw new UsageError(`unknown ${request.type} decoder ${request.decoder}; choose one of: ${decodersFor(request.type).map((x) => x.name).join(', ')}`);
      }
    }
    const { files, errors } = await discover(request.paths);
    const manifest = await this.#manifest(request.type);
    reporter.planned?.(files.length, files.reduce((n, f) => n + f.size, 0));
    const checked = new Set<Decoder>();
    const outcomes: FileOutcome[] = [];
    let next = 0;
    // Files are prepared one after the other, in path order, so that of two copies of one content
    // the first by path is ingested and the other is the duplicate, whatever the timing.
    let preparing: Promise<unknown> = Promise.resolve();
    const worker = async () => {
      while (next < files.length && !this.signal.aborted) {
        const file = files[next++]!;
        const prepared = preparing.then(() => this.#prepare(request, file, manifest));
        preparing = prepared.catch(() => undefined);
        const plan = await prepared;
        let outcome: FileOutcome;
        if ('status' in plan) outcome = plan;
        else {
          reporter.fileStarted?.(file);
          try {
            outcome = await this.#decodeAndCommit(request, file, manifest, reporter, checked, plan.decoder, plan.fingerprint);
          } finally {
            this.#inFlight.delete(plan.fingerprint);
          }
        }
        outcomes.push(outcome);
        reporter.fileDone?.(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#workers, files.length) }, worker));
    outcomes.sort((a, b) => a.path.localeCompare(b.path));
    return {
      type: request.type,
      files: outcomes,
      rows: outcomes.reduce((n, o) => n + o.rows, 0),
      quarantined: outcomes.reduce((n, o) => n + o.quarantined, 0),
      seconds: (performance.now() - started) / 1000,
      errors,
    };
  }

  /** Files that are new or changed since the manifest last saw them. */
  async pending(type: TelemetryType, files: readonly SourceFile[]): Promise<SourceFile[]> {
    const manifest = await this.#manifest(type);
    return files.filter((f) => {
      const e = manifest.get(f.path);
      return !e || e.status === 'committing' || e.size !== f.size || e.mtimeMs !== f.mtimeMs;
    });
  }

  async #manifest(type: TelemetryType): Promise<Manifest> {
    let m = this.#manifests.get(type);
    if (!m) {
      await this.#checkSchema(type);
      m = await Manifest.open(this.config.lake.path, type);
      this.#manifests.set(type, m);
    }
    return m;
  }

  /** A lake holds one schema version per type; mixing layouts silently would corrupt queries. */
  async #checkSchema(type: TelemetryType): Promise<void> {
    const table = tableFor(type);
    const stamp = join(typeDir(this.config.lake.path, type), '_schema.json');
    const text = await readFile(stamp, 'utf8').catch(() => null);
    if (text === null) {
      await mkdir(typeDir(this.config.lake.path, type), { recursive: true });
      await writeFile(stamp, JSON.stringify({ table: type, hash: table.hash, columns: table.columnNames }, null, 2) + '\n');
      return;
    }
    const found = (JSON.parse(text) as { hash?: string }).hash;
    if (found !== table.hash) {
      throw new ConfigError(`${stamp}: the lake's ${type} rows use schema ${found}, this version writes ${table.hash}; ingest into a new lake`);
    }
  }

  /** Decide what to do with a file: an outcome when it is skipped, else its decoder and fingerprint (claimed). */
  async #prepare(request: IngestRequest, file: SourceFile, manifest: Manifest): Promise<FileOutcome | { decoder: Decoder; fingerprint: string }> {
    const base = { path: file.path, rows: 0, quarantined: 0 };
    let head: Buffer;
    try {
      head = await readHead(file.path);
    } catch (e) {
      return { ...base, status: 'failed', message: `cannot read: ${(e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (e as Error).message}` };
    }
    const previous = manifest.get(file.path);
    const unchanged = previous && previous.size === file.size && previous.mtimeMs === file.mtimeMs;
    if (!request.force && unchanged && previous.status !== 'committing') {
      const message = previous.status === 'failed' ? `failed before (${previous.error ?? 'unreadable'}); --force retries it` : 'already ingested';
      return { ...base, status: 'unchanged', decoder: previous.decoder, message };
    }
    const decoder = request.decoder ? decoderNamed(request.decoder)! : detectDecoder(request.type, file, head);
    if (!decoder) {
      if (file.size === 0) return { ...base, status: 'unrecognised', message: 'empty file: nothing to ingest' };
      return { ...base, status: 'unrecognised', message: `not a ${request.type} format Spothreat reads (${decodersFor(request.type).map((d) => d.name).join(', ')})` };
    }
    const fingerprint = await fingerprintOf(file.path, file.size);
    const twin = manifest.byFingerprint(fingerprint)?.path ?? this.#inFlight.get(fingerprint);
    if (!request.force && twin && twin !== file.path) {
      return { ...base, status: 'duplicate', decoder: decoder.name, message: `same content as ${twin}, already ingested` };
    }
    this.#inFlight.set(fingerprint, file.path);
    return { decoder, fingerprint };
  }

  async #decodeAndCommit(
    request: IngestRequest,
    file: SourceFile,
    manifest: Manifest,
    reporter: IngestReporter,
    checked: Set<Decoder>,
    decoder: Decoder,
    fingerprint: string,
  ): Promise<FileOutcome> {
    const base = { path: file.path, rows: 0, quarantined: 0 };
    const sourceId = sourceIdOf(file.path);
    const stagingDir = join(this.config.lake.path, LAKE_DIRS.staging, sourceId);
    const ctx: DecodeContext = {
      config: this.config.ingest,
      sensor: request.sensor || this.config.ingest.sensor || null,
      signal: this.signal,
      workDir: join(stagingDir, 'work'),
    };
    if (decoder.kind === 'tool' && !checked.has(decoder)) {
      await decoder.check(ctx);
      checked.add(decoder);
    }

    await rm(stagingDir, { recursive: true, force: true });
    await mkdir(stagingDir, { recursive: true });
    const session = await this.engine.session();
    try {
      const table = tableFor(request.type);
      const loader = new SourceLoader(session, table, { type: request.type, path: file.path, sourceId, decoder: decoder.name }, {
        stagingDir,
        rowGroupRows: this.config.lake.rowGroupRows,
        maxLineBytes: this.config.ingest.maxLineBytes,
      });
      await loader.begin();
      let rows = 0;
      let loading = Promise.resolve();
      const load = (chunk: StagedChunk, layout: StagedLayout) => {
        loading = loading.then(async () => {
          rows += (await loader.loadChunk(chunk.path, layout, chunk.firstLine)).rows;
          await unlink(chunk.path);
        });
      };
      let failure: { reason: RejectReason; message: string; line?: number } | undefined;
      let rejects: readonly SourceReject[] = [];
      if (decoder.kind === 'tool') {
        const run = await decoder.start(file, ctx);
        await splitIntoChunks(run.stdout, stagingDir, this.config.ingest.chunkRows, (c) => load(c, run.layout), (n) => reporter.rows?.(n));
        const outcome = await run.finished;
        rejects = run.rejects ?? [];
        if (outcome.error) failure = { reason: /short read|truncat|beyond EOF|appendix/i.test(outcome.error) ? 'truncated' : 'decoder-error', message: outcome.error };
      } else {
        let reported = 0;
        const task = {
          decoder: decoder.name,
          type: request.type,
          file,
          sourceId,
          config: this.config.ingest,
          sensor: ctx.sensor,
          stagingDir,
          rowGroupRows: this.config.lake.rowGroupRows,
        };
        const result = await this.#pool.run(task, (m) => {
          reporter.rows?.(m.rows - reported);
          reported = m.rows;
        });
        reporter.rows?.(result.rows - reported);
        rows = result.rows;
        if (result.quarantineFile) await loader.addQuarantine(result.quarantineFile);
        if (result.error) failure = { reason: 'decoder-error', message: result.error.message, ...(result.error.line ? { line: result.error.line } : {}) };
      }
      await loading;
      if (this.signal.aborted) throw new InputError(file.path, 'ingest interrupted');
      await loader.addSourceRejects(failure ? [...rejects, { reason: failure.reason, detail: failure.message, line: failure.line ?? null }] : rejects);
      const { quarantined, dataFiles, quarantineFile } = await loader.finish();
      const status: Exclude<SourceStatus, 'committing'> = failure ? (rows > 0 ? 'partial' : 'failed') : 'done';
      await commitSource(manifest, {
        lake: this.config.lake.path,
        type: request.type,
        stagingDir,
        dataFiles,
        quarantineFile,
        status,
        entry: {
          path: file.path,
          size: file.size,
          mtimeMs: file.mtimeMs,
          fingerprint,
          sourceId,
          decoder: decoder.name,
          rows,
          quarantined,
          ...(failure ? { error: failure.message } : {}),
        },
      });
      return {
        ...base,
        status: status === 'done' ? 'ingested' : status,
        decoder: decoder.name,
        rows,
        quarantined,
        ...(failure ? { message: `${failure.reason}: ${failure.message}` } : {}),
      };
    } finally {
      await session.close();
    }
  }
}
