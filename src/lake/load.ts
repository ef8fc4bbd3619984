import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { EngineSession } from '../engine/index.js';
import { COLUMN_KINDS, EXCERPT_MAX, PARTITION_COLUMNS, quarantine, type ColumnSpec, type TableDef } from '../schema/index.js';
import { canonicalSelect } from '../schema/sql.js';
import type { StagedField, StagedLayout } from './staged.js';

export interface SourceInfo {
  readonly type: string;
  readonly path: string;
  readonly sourceId: string;
  readonly decoder: string;
}

export interface LoadOptions {
  /** Folder this source's Parquet files are staged in before commit. */
  readonly stagingDir: string;
  readonly rowGroupRows: number;
  readonly maxLineBytes: number;
}

export interface ChunkResult {
  readonly rows: number;
  readonly rejected: number;
}

const CHUNK = '_chunk';
const QUARANTINE = '_quarantine';
const REJECTS = '_csv_rejects';

/**
 * Loads one source's staged chunks into Parquet under the staging folder, partitioned by hour,
 * and collects its rejected records. Conversion and validation happen in SQL, in one pass.
 * The caller moves the files into the lake (commit); nothing here is visible to readers.
 */
export class SourceLoader {
  #chunks = 0;

  constructor(
    private readonly session: EngineSession,
    private readonly table: TableDef,
    private readonly source: SourceInfo,
    private readonly options: LoadOptions,
  ) {}

  async begin(): Promise<void> {
    const d = this.session.dialect;
    const q: TableDef = quarantine;
    const cols = q.columnNames.map((n) => `${d.ident(n)} ${d.type(q.columns[n]!.kind)}`).join(', ');
    await this.session.run(`CREATE OR REPLACE TEMP TABLE ${QUARANTINE} (${cols})`);
  }

  /** Load one staged text file. firstLine: line number of its first line, for structural rejects. */
  async loadChunk(path: string, layout: StagedLayout, firstLine = 1): Promise<ChunkResult> {
    const d = this.session.dialect;
    const chunkNo = this.#chunks++;
    const plan = this.#plan(layout);
    const relation = this.session.readText(path, {
      columns: plan.rawTypes,
      delimiter: layout.delimiter,
      quoted: layout.quoted,
      rejectsTable: REJECTS,
      maxLineBytes: this.options.maxLineBytes,
    });
    const reason = plan.checks.length ? `CASE ${plan.checks.map((c) => `WHEN ${c.cond} THEN '${c.reason}'`).join(' ')} END` : 'NULL';
    const detail = plan.checks.length ? `CASE ${plan.checks.map((c) => `WHEN ${c.cond} THEN ${c.detail}`).join(' ')} END` : 'NULL';
    const excerpt = `CASE WHEN _reason IS NOT NULL THEN left(concat_ws(${d.string(layout.delimiter)}, ${plan.raw.map((c) => `CAST(${c} AS VARCHAR)`).join(', ')}), ${EXCERPT_MAX}) END`;
    await this.session.run(`DROP TABLE IF EXISTS ${REJECTS}; DROP TABLE IF EXISTS ${REJECTS}_scan`);
    await this.session.run(
      `CREATE OR REPLACE TEMP TABLE ${CHUNK} AS SELECT * EXCLUDE (${plan.raw.join(', ')}) FROM (` +
        `SELECT *, ${reason} AS _reason, CASE WHEN _reason IS NOT NULL THEN ${detail} END AS _detail, ${excerpt} AS _excerpt FROM (` +
        `SELECT ${plan.raw.join(', ')}, ${plan.line} AS _line, ${plan.typed.join(', ')} FROM ${relation}))`,
    );

    const part = d.ident(this.table.partitionBy);
    const partitions = ['year', 'month', 'day', 'hour'].map((fn, i) => `${fn}(${part}) AS ${PARTITION_COLUMNS[i]}`);
    await this.session.export(`SELECT ${[...canonicalSelect(this.table, d), ...partitions].join(', ')} FROM ${CHUNK} WHERE _reason IS NULL`, {
      format: 'parquet',
      path: join(this.options.stagingDir, 'data'),
      partitionBy: PARTITION_COLUMNS,
      fileName: `${this.source.sourceId}-${chunkNo}-{i}`,
      rowGroupRows: this.options.rowGroupRows,
      metadata: { spothreat_schema: this.table.hash, spothreat_source: this.source.path },
    });

    const meta = this.#metaSql();
    await this.session.run(`INSERT INTO ${QUARANTINE} SELECT ${meta}, _line, NULL, _reason, _detail, _excerpt FROM ${CHUNK} WHERE _reason IS NOT NULL`);
    const rawToColumn = `CASE column_name ${plan.names.map(([raw, name]) => `WHEN '${raw}' THEN ${d.string(name)}`).join(' ')} ELSE column_name END`;
    const timeRaws = plan.names.filter(([, n]) => this.table.columns[n]?.kind === 'timestamp').map(([raw]) => `'${raw}'`);
    await this.session.run(
      `INSERT INTO ${QUARANTINE} SELECT ${meta}, line + ${firstLine - 1}, byte_position, ` +
        `CASE WHEN error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS') THEN 'wrong-field-count' ` +
        `WHEN error_type = 'LINE SIZE OVER MAXIMUM' THEN 'line-too-long' ` +
        `WHEN error_type = 'CAST' AND column_name IN (${timeRaws.join(', ') || "''"}) THEN 'bad-timestamp' ` +
        `WHEN error_type = 'CAST' THEN 'bad-field' ELSE 'bad-record' END, ` +
        `CASE WHEN error_type = 'CAST' THEN ${rawToColumn} || ': ' ELSE '' END || ` +
        `regexp_replace(regexp_replace(error_message, 'Error when converting column "[^"]*"\\.\\s*', ''), '\\s+', ' ', 'g'), ` +
        `left(csv_line, ${EXCERPT_MAX}) FROM (SELECT DISTINCT ON (line) * FROM ${REJECTS} ` +
        `ORDER BY line, CASE WHEN error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS') THEN 0 ELSE 1 END, column_idx)`,
    );
    const [counts] = await this.session.query<{ good: number; bad: number }>(
      `SELECT count(*) FILTER (WHERE _reason IS NULL) AS good, count(*) FILTER (WHERE _reason IS NOT NULL) + (SELECT count(DISTINCT line) FROM ${REJECTS}) AS bad FROM ${CHUNK}`,
    );
    await this.session.run(`DROP TABLE ${CHUNK}; DROP TABLE IF EXISTS ${REJECTS}; DROP TABLE IF EXISTS ${REJECTS}_scan`);
    return { rows: Number(counts?.good ?? 0), rejected: Number(counts?.bad ?? 0) };
  }

  /**
   * How each staged field is read: typed by the CSV reader where it can be (conversion errors
   * then land in the reader's rejects table with their line), converted in SQL where the text
   * needs work first (padding, mapped values, ICMP type.code), and which checks follow.
   */
  #plan(layout: StagedLayout) {
    const d = this.session.dialect;
    const raw: { name: string; type: string }[] = [];
    const typed: string[] = [];
    const names: [string, string][] = [];
    const checks: { cond: string; reason: string; detail: string }[] = [];
    let line = 'NULL';
    const filled = new Set<string>();
    layout.fields.forEach((f, i) => {
      const rawName = `c${i}`;
      if (f.role === 'line') {
        raw.push({ name: rawName, type: 'BIGINT' });
        line = rawName;
        return;
      }
      const spec: ColumnSpec | undefined = f.column ? this.table.columns[f.column] : undefined;
      if (!f.column) {
        raw.push({ name: rawName, type: 'VARCHAR' });
        return;
      }
      if (!spec || spec.derived) throw new Error(`layout field ${i} targets ${f.column}, not a source column of ${this.table.name}`);
      filled.add(f.column);
      names.push([rawName, f.column]);
      const name = d.ident(f.column);
      const textual = spec.kind === 'ip' || spec.kind === 'text' || spec.kind === 'textList' || f.map !== undefined || f.dottedIcmp === true;
      raw.push({ name: rawName, type: textual ? 'VARCHAR' : spec.kind === 'timestamp' ? (f.time === 'text' ? 'TIMESTAMP' : 'BIGINT') : d.type(spec.kind) });
      const text = layout.trim && textual ? `nullif(trim(${rawName}), '')` : rawName;
      typed.push(`${this.#convert(text, spec, f)} AS ${name}`);
      if (spec.required) checks.push({ cond: `${name} IS NULL AND ${text} IS NULL`, reason: 'missing-field', detail: d.string(`${f.column} is empty`) });
      if (textual && spec.kind !== 'ip' && spec.kind !== 'text') {
        // Mapped values, ICMP ports and JSON lists can fail to convert; plain text cannot.
        checks.push({ cond: `${name} IS NULL AND ${text} IS NOT NULL`, reason: 'bad-field', detail: `${d.string(`${f.column}: `)} || left(${text}, 80)` });
      }
      const range = (COLUMN_KINDS[spec.kind] as { range?: readonly [number, number] }).range;
      if (range) checks.push({ cond: `${name} NOT BETWEEN ${range[0]} AND ${range[1]}`, reason: 'out-of-range', detail: `${d.string(`${f.column}: `)} || ${name}` });
    });
    for (const [n, v] of Object.entries(layout.constants ?? {})) {
      const spec: ColumnSpec | undefined = this.table.columns[n];
      if (!spec || spec.derived || filled.has(n)) throw new Error(`layout constant ${n} is not an unfilled source column of ${this.table.name}`);
      filled.add(n);
      typed.push(`CAST(${v === null ? 'NULL' : typeof v === 'number' ? v : d.string(v)} AS ${d.type(spec.kind)}) AS ${d.ident(n)}`);
    }
    for (const n of this.table.sourceColumns) {
      if (filled.has(n)) continue;
      if (this.table.columns[n]!.required) throw new Error(`layout of ${this.source.decoder} does not fill required column ${n}`);
      typed.push(`CAST(NULL AS ${d.type(this.table.columns[n]!.kind)}) AS ${d.ident(n)}`);
    }
    return { raw: raw.map((r) => r.name), rawTypes: raw, typed, names, checks, line };
  }

  /** Add the quarantine rows a row decoder staged (a Parquet file in the quarantine layout). */
  async addQuarantine(path: string): Promise<void> {
    await this.session.run(`INSERT INTO ${QUARANTINE} BY NAME SELECT * FROM read_parquet(${this.session.dialect.string(path)})`);
  }

  /** Record problems with the source as a whole (what a tool decoder rejected, a decoder that stopped early), in one statement. */
  async addSourceRejects(rejects: readonly { readonly reason: string; readonly detail: string; readonly line?: number | null }[]): Promise<void> {
    if (rejects.length === 0) return;
    const params: Record<string, string | number | null> = {};
    const rows = rejects.map((r, i) => {
      params[`l${i}`] = r.line ?? null;
      params[`r${i}`] = r.reason;
      params[`d${i}`] = r.detail.slice(0, 2000);
      return `(CAST($l${i} AS BIGINT), $r${i}, $d${i})`;
    });
    await this.session.run(`INSERT INTO ${QUARANTINE} SELECT ${this.#metaSql()}, line, NULL, reason, detail, NULL FROM (VALUES ${rows.join(', ')}) AS v(line, reason, detail)`, params);
  }

  /** Write the quarantine file (when there is anything to keep) and list every staged file. */
  async finish(): Promise<{ quarantined: number; dataFiles: string[]; quarantineFile: string | null }> {
    const quarantined = await this.#quarantined();
    let quarantineFile: string | null = null;
    if (quarantined > 0) {
      quarantineFile = join(this.options.stagingDir, 'quarantine.parquet');
      await this.session.export(`SELECT * FROM ${QUARANTINE} ORDER BY line NULLS FIRST`, { format: 'parquet', path: quarantineFile });
    }
    await this.session.run(`DROP TABLE IF EXISTS ${QUARANTINE}`);
    const dataDir = join(this.options.stagingDir, 'data');
    const dataFiles = (await listFiles(dataDir)).map((f) => relative(dataDir, f));
    return { quarantined, dataFiles, quarantineFile };
  }

  async #quarantined(): Promise<number> {
    const [r] = await this.session.query<{ n: number }>(`SELECT count(*) AS n FROM ${QUARANTINE}`);
    return Number(r?.n ?? 0);
  }

  #metaSql(): string {
    const d = this.session.dialect;
    return `CAST(now() AS TIMESTAMP), ${d.string(this.source.type)}, ${d.string(this.source.path)}, ${d.string(this.source.decoder)}`;
  }

  #convert(r: string, spec: ColumnSpec, f: StagedField): string {
    const d = this.session.dialect;
    if (f.map) {
      const whens = Object.entries(f.map).map(([k, v]) => `WHEN ${d.string(k)} THEN ${typeof v === 'number' ? v : d.string(v)}`);
      const otherwise = f.keepUnmapped ? ` ELSE ${r}` : '';
      return d.tryCast(`CASE ${f.upper ? `upper(${r})` : r} ${whens.join(' ')}${otherwise} END`, spec.kind);
    }
    if (f.dottedIcmp) {
      return `CASE WHEN contains(${r}, '.') THEN TRY_CAST(split_part(${r}, '.', 1) AS INTEGER) * 256 + TRY_CAST(split_part(${r}, '.', 2) AS INTEGER) ELSE ${d.tryCast(r, spec.kind)} END`;
    }
    if (spec.kind === 'timestamp') return f.time === 'text' ? r : d.fromEpochMicros(r);
    // The loader reads text with DuckDB, whose regexp_replace names groups \1 (Spark's would be $1).
    if (spec.kind === 'ip' && f.v4Compatible) {
      return `CASE WHEN starts_with(${r}, '::') THEN regexp_replace(${r}, '^::([0-9]{1,3}(\\.[0-9]{1,3}){3})$', '\\1') ELSE ${r} END`;
    }
    if (spec.kind === 'ip' || spec.kind === 'text') return f.upper ? `upper(${r})` : r;
    if (spec.kind === 'textList') return `try(from_json(${r}, '["VARCHAR"]'))`;
    return r;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? [] : Promise.reject(e),
  );
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
