import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
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
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    await loadDataDir(con, opts.dataDir, schema);
    return LocalEngine.fromConnection(con, { schema, instance });
  }

  /** An engine over an existing connection whose tables are already created (tests use fixture tables). */
  static async fromConnection(con: DuckDBConnection, opts: { schema?: TableSchemas; instance?: DuckDBInstance } = {}): Promise<LocalEngine> {
    for (const macro of SQL_MACROS) await con.run(macro);
    return new LocalEngine(opts.instance, con, opts.schema ?? defenderSchema());
  }

  async run(kql: string, opts: RunOptions = {}): Promise<QueryResult> {
    // One DuckDB connection runs one statement at a time; queue concurrent callers.
    const result = this.queue.then(() => this.runNow(kql, opts));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow(kql: string, opts: RunOptions): Promise<QueryResult> {
    const started = performance.now();
    opts.signal?.throwIfAborted();
    const { sql, columns } = translateKql(kql, { now: opts.now, schema: this.schema });
    const maxRows = opts.maxRows;
    const limited = maxRows === undefined ? sql : `SELECT * FROM (${sql}) LIMIT ${maxRows + 1}`;
    const abort = () => this.con.interrupt();
    opts.signal?.addEventListener('abort', abort, { once: true });
    let raw: Record<string, unknown>[];
    try {
      const reader = await this.con.runAndReadAll(limited);
      raw = reader.getRowObjectsJson() as Record<string, unknown>[];
    } catch (e) {
      if (opts.signal?.aborted) throw new HuntError('QueryCancelled', 'The query was cancelled.', { cause: e });
      throw new HuntError('LocalQueryFailed', `The local engine could not run this query: ${(e as Error).message}`, { cause: e, details: { sql } });
    } finally {
      opts.signal?.removeEventListener('abort', abort);
    }
    opts.signal?.throwIfAborted();
    const truncated = maxRows !== undefined && raw.length > maxRows;
    if (truncated) raw = raw.slice(0, maxRows);
    const rows = raw.map((r) => toRow(r, columns));
    return { columns, rows, truncated, elapsedMs: Math.round(performance.now() - started) };
  }

  async close(): Promise<void> {
    await this.queue;
    this.con.closeSync();
    this.instance?.closeSync();
  }
}

/** DuckDB JSON values -> the plain JSON the QueryResult contract promises, by Kusto type. */
function toRow(raw: Record<string, unknown>, columns: ResultColumn[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of columns) row[c.name] = toValue(raw[c.name], c.type);
  return row;
}

function toValue(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return type === 'string' ? '' : null;
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

/** Kusto's timespan text: [-][d.]hh:mm:ss[.fffffff] */
function timespanText(i: { months: number; days: number; micros: string }): string {
  let micros = BigInt(i.micros) + BigInt(i.days) * 86_400_000_000n + BigInt(i.months) * 30n * 86_400_000_000n;
  const sign = micros < 0n ? '-' : '';
  if (micros < 0n) micros = -micros;
  const days = micros / 86_400_000_000n;
  const pad = (n: bigint) => String(n).padStart(2, '0');
  const time = `${pad((micros / 3_600_000_000n) % 24n)}:${pad((micros / 60_000_000n) % 60n)}:${pad((micros / 1_000_000n) % 60n)}`;
  const fraction = micros % 1_000_000n ? `.${String(micros % 1_000_000n).padStart(6, '0')}0` : '';
  return `${sign}${days ? `${days}.` : ''}${time}${fraction}`;
}
