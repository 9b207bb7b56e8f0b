import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { HuntError } from '../../errors.ts';
import { defenderSchema, type ColumnSchema, type KustoType, type TableSchemas } from '../../kusto/schema.ts';

/** How each Kusto type is stored in DuckDB. Datetimes are UTC TIMESTAMPs (no time zone). */
export const DUCKDB_TYPES: Record<KustoType, string> = {
  string: 'VARCHAR',
  datetime: 'TIMESTAMP',
  int: 'INTEGER',
  long: 'BIGINT',
  bool: 'BOOLEAN',
  real: 'DOUBLE',
  dynamic: 'JSON',
  timespan: 'INTERVAL',
  guid: 'VARCHAR',
};

/** Files a data folder may hold besides tables: the description a generated sample writes next to its data. */
export const METADATA_FILES = ['manifest.json', 'ground-truth.json'] as const;

export interface LoadedTable { table: string; rows: number; file: string }

type Format = 'csv' | 'json' | 'jsonl' | 'parquet';
const DATA_FILE = /^(.+)\.(csv|json|jsonl|parquet)$/i;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Rows per loading batch of a Parquet file: two DuckDB row groups.
const BATCH_ROWS = 245_760;
// A time followed by a UTC offset (+02:00, -0500, +01). A bare `Z` needs no conversion.
const UTC_OFFSET = String.raw`\d:\d\d(:\d\d(\.\d*)?)?\s*[+-]\d\d(:?\d\d)?$`;

/**
 * Loads every `<Table>.csv|json|jsonl|parquet` in `dir` into a DuckDB table named exactly as the Kusto table,
 * with the schema's column types forced (extra columns are kept; missing schema columns are added empty).
 * A file whose name is not a schema table (but a valid identifier) becomes a table of its own columns.
 * Then creates an empty table for every schema table without a file, so any query on a known table runs.
 * Returns the tables that came from files, in file-name order.
 *
 * Strings follow Kusto: a string column is never null, so empty or missing values are ''.
 */
export async function loadDataDir(con: DuckDBConnection, dir: string, schema: TableSchemas = defenderSchema()): Promise<LoadedTable[]> {
  const folder = resolve(dir);
  const files = await dataFiles(folder, schema);
  const loaded: LoadedTable[] = [];
  for (const f of files) {
    const rows = await loadFile(con, f, schema[f.table]);
    loaded.push({ table: f.table, rows, file: f.path });
  }
  await createEmptyTables(con, schema, loaded.map((t) => t.table));
  return loaded;
}

/** Creates (or replaces) an empty table with all schema columns for every schema table not in `except`. */
export async function createEmptyTables(con: DuckDBConnection, schema: TableSchemas, except: Iterable<string> = []): Promise<void> {
  const skip = new Set(except);
  for (const [table, columns] of Object.entries(schema)) {
    if (skip.has(table)) continue;
    const cols = columns.map((c) => `${ident(c.name)} ${DUCKDB_TYPES[c.type]}`).join(', ');
    await con.run(`CREATE OR REPLACE TABLE ${ident(table)} (${cols})`);
  }
}

interface DataFile { table: string; name: string; path: string; folder: string; format: Format }

async function dataFiles(folder: string, schema: TableSchemas): Promise<DataFile[]> {
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new HuntError('DataDirMissing', `The data folder ${folder} does not exist or is not a folder. Set LOCAL_DATA_DIR to a folder of <Table>.csv, .jsonl or .parquet files.`, { details: { folder } });
  }
  const byLowerName = new Map(Object.keys(schema).map((t) => [t.toLowerCase(), t]));
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: DataFile[] = [];
  for (const entry of entries) {
    const match = DATA_FILE.exec(entry.name);
    if (!entry.isFile() || !match || entry.name.startsWith('.') || (METADATA_FILES as readonly string[]).includes(entry.name)) continue;
    const [, base, ext] = match;
    const table = byLowerName.get(base.toLowerCase()) ?? base;
    if (!IDENTIFIER.test(table)) {
      throw new HuntError('DataFileName', `Cannot load ${entry.name} from ${folder}: "${base}" is neither a known Defender table nor a valid table name (letters, digits and _ only).`, { details: { folder, file: entry.name, table: base } });
    }
    const other = files.find((f) => f.table === table);
    if (other) {
      throw new HuntError('DataFileConflict', `Table ${table} has two files in ${folder}: ${other.name} and ${entry.name}. Keep one of them.`, { details: { folder, table, files: [other.name, entry.name] } });
    }
    files.push({ table, name: entry.name, path: join(folder, entry.name), folder, format: ext.toLowerCase() as Format });
  }
  return files;
}

async function loadFile(con: DuckDBConnection, f: DataFile, columns: ColumnSchema[] = []): Promise<number> {
  const fail = (problem: string, cause?: unknown): HuntError =>
    new HuntError('DataFileUnreadable', `Cannot load table ${f.table} from ${f.name} in ${f.folder}: ${problem}`, { cause, details: { folder: f.folder, file: f.name, table: f.table } });
  // DuckDB's first line says what is wrong (the rest is hints about reader options).
  const duckdbProblem = (e: unknown) => String((e as Error).message).split('\n')[0];
  if ((await stat(f.path)).size === 0) throw fail('the file is empty (a CSV needs at least its header row).');
  const detected = await describe(con, reader(f)).catch((e) => { throw fail(duckdbProblem(e), e); });
  // DuckDB names are case-insensitive: match schema columns the same way, so `devicename` fills DeviceName.
  const known = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  // JSON: read schema columns as text (one conversion path for all formats), extra keys with their detected type.
  const isJson = f.format === 'json' || f.format === 'jsonl';
  const read = isJson ? detected.map((d) => ({ name: d.name, type: jsonReadType(known.get(d.name.toLowerCase())?.type, d.type) })) : detected;
  const sourceTypes = new Map(read.map((d) => [d.name.toLowerCase(), d.type]));
  const converted = columns.map((c) => ({ column: c, present: sourceTypes.has(c.name.toLowerCase()), sql: convert(c, sourceTypes.get(c.name.toLowerCase())) }));
  const select = [
    ...converted.map((c) => `${c.sql} AS ${ident(c.column.name)}`),
    ...detected.filter((d) => !known.has(d.name.toLowerCase())).map((d) => ident(d.name)),
  ];
  const source = reader(f, isJson ? read : undefined);
  const table = ident(f.table);
  try {
    if (f.format === 'parquet' && !detected.some((d) => d.name.toLowerCase() === 'file_row_number')) {
      // Batches of rows, each checkpointed: a compressed database then holds one batch uncompressed at a time,
      // not the whole file (the 1M-event sample peaks at ~0.6 GB instead of ~1.2 GB while loading).
      const total = Number((await con.runAndReadAll(`SELECT count(*) FROM ${source}`)).getRows()[0][0]);
      await con.run(`CREATE OR REPLACE TABLE ${table} AS SELECT ${select.join(', ')} FROM ${source} LIMIT 0`);
      const numbered = `read_parquet(${literal(f.path)}, file_row_number = true)`;
      for (let from = 0; from < total; from += BATCH_ROWS) {
        await con.run(`INSERT INTO ${table} SELECT ${select.join(', ')} FROM ${numbered} WHERE file_row_number >= ${from} AND file_row_number < ${from + BATCH_ROWS}`);
        await con.run('CHECKPOINT');
      }
    } else {
      await con.run(`CREATE OR REPLACE TABLE ${table} AS SELECT ${select.join(', ')} FROM ${source}`);
      await con.run('CHECKPOINT');
    }
  } catch (e) {
    throw fail(await badValue(con, source, converted.filter((c) => c.present)) ?? duckdbProblem(e), e);
  }
  const count = await con.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${table}`);
  return count.getRows()[0][0] as number;
}

/** After a failed load: the first value that does not convert to its column's type, as a sentence naming the column. */
async function badValue(con: DuckDBConnection, source: string, columns: { column: ColumnSchema; sql: string }[]): Promise<string | undefined> {
  for (const { column, sql } of columns) {
    const col = ident(column.name);
    const r = await con.runAndReadAll(`SELECT CAST(${col} AS VARCHAR) AS v FROM ${source} WHERE ${col} IS NOT NULL AND try(${sql}) IS NULL LIMIT 1`).catch(() => undefined);
    const value = r?.getRows()[0]?.[0];
    if (value !== undefined) return `column ${column.name} (${column.type}) has a value that is not a ${column.type}: "${String(value).slice(0, 80)}".`;
  }
  return undefined;
}

/** The SQL expression that reads one schema column as its DuckDB type (NULL / '' when the file lacks it). */
function convert(c: ColumnSchema, sourceType: string | undefined): string {
  const target = DUCKDB_TYPES[c.type];
  const col = ident(c.name);
  const isText = sourceType === 'VARCHAR';
  if (c.type === 'string' || c.type === 'guid') {
    if (sourceType === undefined) return `''`;
    return `coalesce(${isText ? col : `CAST(${col} AS VARCHAR)`}, '')`;
  }
  if (sourceType === undefined) return `CAST(NULL AS ${target})`;
  const text = `nullif(trim(${col}), '')`;
  if (c.type === 'datetime') {
    if (isText) return `CASE WHEN regexp_matches(${text}, '${UTC_OFFSET}') THEN CAST(${text} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' ELSE CAST(${text} AS TIMESTAMP) END`;
    if (sourceType === 'TIMESTAMP WITH TIME ZONE') return `${col} AT TIME ZONE 'UTC'`;
  }
  if (c.type === 'dynamic' && !isText && sourceType !== 'JSON') return `to_json(${col})`;
  return `CAST(${isText ? text : col} AS ${target})`;
}

/** What to read a JSON key as: schema columns as text (dynamic as JSON), extra keys as detected. */
function jsonReadType(type: KustoType | undefined, detected: string): string {
  if (type === undefined) return detected;
  return type === 'dynamic' ? 'JSON' : 'VARCHAR';
}

/** The DuckDB table function that reads the file; `columns` fixes the keys and types read from JSON. */
function reader(f: DataFile, columns?: { name: string; type: string }[]): string {
  const path = literal(f.path);
  switch (f.format) {
    case 'csv':
      // As the Defender portal exports: comma-separated, double quotes, header row. Text first, typed by `convert`.
      return `read_csv(${path}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
    case 'json':
    case 'jsonl': {
      const format = f.format === 'jsonl' ? `'newline_delimited'` : `'auto'`;
      const cols = columns ? `, columns = {${columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ')}}` : '';
      return `read_json(${path}, format = ${format}${cols})`;
    }
    case 'parquet':
      return `read_parquet(${path})`;
  }
}

async function describe(con: DuckDBConnection, source: string): Promise<{ name: string; type: string }[]> {
  const r = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  return r.getRowObjectsJson().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
