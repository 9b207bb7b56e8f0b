import {
  DuckDBInstance, DuckDBTimestampValue, DuckDBTypeId, JsonDuckDBValueConverter,
  type DuckDBConnection, type DuckDBIntervalValue, type DuckDBType, type DuckDBValue, type DuckDBVector,
} from '@duckdb/node-api';
import { HuntError } from '../../errors.ts';
import { defenderSchema, type TableSchemas } from '../../kusto/schema.ts';
import type { QueryEngine, QueryResult, ResultColumn, RunOptions } from '../types.ts';
import { loadDataDir } from './load.ts';
import { SQL_MACROS } from './sqlMacros.ts';
import { translateKql } from './translate.ts';

/**
 * Runs KQL in-process: the official Kusto parser checks and types the query, the translator turns it into
 * one DuckDB statement, DuckDB runs it over tables loaded once from a data folder.
 */
export class LocalEngine implements QueryEngine {
  readonly name = 'local';
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly instance: DuckDBInstance | undefined, private readonly con: DuckDBConnection, private readonly schema: TableSchemas) {}

  /** An in-memory DuckDB with every `<Table>.*` file of `dataDir` loaded (and empty tables for the rest of the schema). */
  static async open(opts: { dataDir: string; schema?: TableSchemas }): Promise<LocalEngine> {
    const schema = opts.schema ?? defenderSchema();
    // Settings left at DuckDB's defaults on purpose: threads (one per core), memory_limit (80% of RAM: a cap
    // lower than what a large CSV needs while it loads would fail the load), preserve_insertion_order (rows of
    // a query without sort keep table order, as tests and users expect).
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    // A compressed in-memory database: the 1M-event sample takes ~50 MB instead of ~950 MB uncompressed.
    await con.run(`ATTACH ':memory:' AS hunt (COMPRESS)`);
    await con.run('USE hunt');
    await loadDataDir(con, opts.dataDir, schema);
    return LocalEngine.fromConnection(con, { schema, instance });
  }

  /** An engine over an existing connection whose tables are already created (tests use fixture tables). */
  static async fromConnection(con: DuckDBConnection, opts: { schema?: TableSchemas; instance?: DuckDBInstance } = {}): Promise<LocalEngine> {
    for (const macro of SQL_MACROS) await con.run(macro);
    return new LocalEngine(opts.instance, con, opts.schema ?? defenderSchema());
  }

  async run(kql: string, opts: RunOptions = {}): Promise<QueryResult> {
    return this.enqueue(() => {
      const started = performance.now();
      opts.signal?.throwIfAborted();
      const { sql, columns } = translateKql(kql, { now: opts.now, schema: this.schema });
      return this.execute(sql, columns, opts, started);
    });
  }

  /**
   * Runs DuckDB SQL written by trusted code (never user text) and returns its rows exactly as `run` does;
   * `columns` names the result columns in order, with their Kusto types. The benchmark compares the
   * translator's SQL with hand-written SQL through this.
   */
  async runSql(sql: string, columns: ResultColumn[], opts: Omit<RunOptions, 'now'> = {}): Promise<QueryResult> {
    return this.enqueue(() => this.execute(sql, columns, opts, performance.now()));
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    // One DuckDB connection runs one statement at a time; queue concurrent callers.
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async execute(sql: string, columns: ResultColumn[], opts: Omit<RunOptions, 'now'>, started: number): Promise<QueryResult> {
    opts.signal?.throwIfAborted();
    const maxRows = opts.maxRows;
    const abort = () => this.con.interrupt();
    opts.signal?.addEventListener('abort', abort, { once: true });
    let rows: Record<string, unknown>[];
    try {
      rows = await readRows(this.con, sql, columns, maxRows === undefined ? undefined : maxRows + 1);
    } catch (e) {
      if (opts.signal?.aborted) throw new HuntError('QueryCancelled', 'The query was cancelled.', { cause: e });
      throw new HuntError('LocalQueryFailed', `The local engine could not run this query: ${(e as Error).message}`, { cause: e, details: { sql } });
    } finally {
      opts.signal?.removeEventListener('abort', abort);
    }
    opts.signal?.throwIfAborted();
    const truncated = maxRows !== undefined && rows.length > maxRows;
    if (truncated) rows = rows.slice(0, maxRows);
    return { columns, rows, truncated, elapsedMs: Math.round(performance.now() - started) };
  }

  async close(): Promise<void> {
    await this.queue;
    this.con.closeSync();
    this.instance?.closeSync();
  }
}

/**
 * Runs `sql` (at most `limit` rows) and converts its rows to the plain JSON the QueryResult contract promises.
 * Each string read out of DuckDB costs a native call, so string, guid and dynamic columns come back together
 * as one JSON text per row (DuckDB's to_json), parsed once; the other columns are read from DuckDB's vectors.
 */
async function readRows(con: DuckDBConnection, sql: string, columns: ResultColumn[], limit?: number): Promise<Record<string, unknown>[]> {
  const textual = columns.map((c) => c.type === 'string' || c.type === 'guid' || c.type === 'dynamic');
  const jsonFields = columns.flatMap((c, i) => {
    if (!textual[i]) return [];
    // Kusto strings are never null; guids and dynamic values may be.
    const value = c.type === 'dynamic' ? `CAST(c${i} AS JSON)` : c.type === 'string' ? `coalesce(CAST(c${i} AS VARCHAR), '')` : `CAST(c${i} AS VARCHAR)`;
    return [`'c${i}': ${value}`];
  });
  const hasJson = jsonFields.length > 0;
  // Where each column is read from: a key of the row's JSON, or a column of the outer SELECT.
  const sources: ({ key: string } | { vector: number })[] = [];
  const select = hasJson ? [`to_json({${jsonFields.join(', ')}})`] : [];
  columns.forEach((_, i) => {
    if (textual[i]) return sources.push({ key: `c${i}` });
    sources.push({ vector: select.length });
    select.push(`c${i}`);
  });
  // The query's columns get positional names, whatever it calls them.
  const from = `(${sql}) AS q(${columns.map((_, i) => `c${i}`).join(', ')})`;
  const list = select.length ? select.join(', ') : '1'; // a result without columns still has rows
  const result = await con.run(`SELECT ${list} FROM ${from}${limit === undefined ? '' : ` LIMIT ${limit}`}`);
  const readers = sources.map((s, i) => ('vector' in s ? cellReader(columns[i].type, result.columnType(s.vector)) : undefined));
  const rows: Record<string, unknown>[] = [];
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const vectors = select.map((_, v) => chunk.getColumnVector(v));
    for (let r = 0; r < chunk.rowCount; r++) {
      const json = hasJson ? JSON.parse(vectors[0].getItem(r) as string) as Record<string, unknown> : {};
      const row: Record<string, unknown> = {};
      sources.forEach((s, i) => { row[columns[i].name] = 'key' in s ? json[s.key] : readers[i]!(vectors[s.vector], r); });
      rows.push(row);
    }
  }
  return rows;
}

type CellReader = (vector: DuckDBVector, row: number) => unknown;

/** How to read one non-text column: direct paths for the DuckDB types the translator produces, else through DuckDB's JSON conversion. */
function cellReader(kustoType: string, duckType: DuckDBType): CellReader {
  const id = duckType.typeId;
  function read<T>(direct: (v: T) => unknown): CellReader {
    return (vector, row) => {
      const v = vector.getItem(row) as T | null;
      return v === null ? null : direct(v);
    };
  }
  switch (kustoType) {
    case 'long': case 'int':
      if (id === DuckDBTypeId.INTEGER || id === DuckDBTypeId.SMALLINT || id === DuckDBTypeId.TINYINT) return read((v: number) => v);
      if (id === DuckDBTypeId.BIGINT || id === DuckDBTypeId.HUGEINT) return read((v: bigint) => (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)));
      break;
    case 'real':
      if (id === DuckDBTypeId.DOUBLE || id === DuckDBTypeId.FLOAT) return read((v: number) => v);
      break;
    case 'bool':
      if (id === DuckDBTypeId.BOOLEAN) return read((v: boolean) => v);
      break;
    case 'datetime':
      if (id === DuckDBTypeId.TIMESTAMP) {
        const text = datetimeReader();
        return read((v: DuckDBTimestampValue) => text(v.micros));
      }
      break;
    case 'timespan':
      if (id === DuckDBTypeId.INTERVAL) return read((v: DuckDBIntervalValue) => timespanText(v));
      break;
  }
  return read((v: DuckDBValue) => fromJsonValue(JsonDuckDBValueConverter(v, duckType, JsonDuckDBValueConverter), kustoType));
}

/** A non-null value in DuckDB's JSON form (DuckDB types the translator does not produce) -> the contract's JSON, by Kusto type. */
function fromJsonValue(v: unknown, type: string): unknown {
  switch (type) {
    case 'long': case 'int': case 'real': {
      const n = Number(v);
      return Number.isSafeInteger(n) || type === 'real' ? n : String(v);
    }
    case 'datetime': return `${String(v).replace(' ', 'T')}Z`;
    case 'dynamic': return typeof v === 'string' ? JSON.parse(v) : v;
    case 'timespan': return timespanText(v as { months: number; days: number; micros: string });
    default: return v;
  }
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Reads TIMESTAMPs as ISO 8601 UTC text with Z: seconds, then the microseconds without trailing zeros (as
 * DuckDB prints them). Plain number arithmetic, with each day's date text made once per column.
 */
function datetimeReader(): (micros: bigint) => string {
  const dates = new Map<number, string>();
  return (micros) => {
    const n = Number(micros);
    // Beyond 2^53 microseconds (before 1685 or after 2255) the number is not exact: use DuckDB's own text.
    if (!Number.isSafeInteger(n)) return `${new DuckDBTimestampValue(micros).toString().replace(' ', 'T')}Z`;
    const seconds = Math.floor(n / 1_000_000);
    const fraction = n - seconds * 1_000_000;
    const day = Math.floor(seconds / 86_400);
    let date = dates.get(day);
    if (date === undefined) dates.set(day, (date = new Date(day * 86_400_000).toISOString().slice(0, 10)));
    const inDay = seconds - day * 86_400;
    const time = `${TWO_DIGITS[Math.floor(inDay / 3600)]}:${TWO_DIGITS[Math.floor(inDay / 60) % 60]}:${TWO_DIGITS[inDay % 60]}`;
    if (!fraction) return `${date}T${time}Z`;
    let digits = String(fraction).padStart(6, '0');
    while (digits.endsWith('0')) digits = digits.slice(0, -1);
    return `${date}T${time}.${digits}Z`;
  };
}

/** Kusto's timespan text: [-][d.]hh:mm:ss[.fffffff] */
function timespanText(i: { months: number; days: number; micros: string | bigint }): string {
  let micros = BigInt(i.micros) + BigInt(i.days) * 86_400_000_000n + BigInt(i.months) * 30n * 86_400_000_000n;
  const sign = micros < 0n ? '-' : '';
  if (micros < 0n) micros = -micros;
  const days = micros / 86_400_000_000n;
  const pad = (n: bigint) => String(n).padStart(2, '0');
  const time = `${pad((micros / 3_600_000_000n) % 24n)}:${pad((micros / 60_000_000n) % 60n)}:${pad((micros / 1_000_000n) % 60n)}`;
  const fraction = micros % 1_000_000n ? `.${String(micros % 1_000_000n).padStart(6, '0')}0` : '';
  return `${sign}${days ? `${days}.` : ''}${time}${fraction}`;
}
