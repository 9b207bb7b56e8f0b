// Test helper: an in-memory DuckDB with every Defender table created empty, plus small fixture rows.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createEmptyTables, DUCKDB_TYPES } from '../../src/engines/local/load.ts';
import { LocalEngine } from '../../src/engines/local/engine.ts';
import { defenderSchema, type KustoType, type TableSchemas } from '../../src/kusto/schema.ts';
import type { QueryResult } from '../../src/engines/types.ts';

export type FixtureRows = Record<string, Record<string, unknown>[]>;

function sqlValue(v: unknown, type: KustoType): string {
  if (v === null || v === undefined) return 'NULL';
  if (type === 'dynamic') return `'${JSON.stringify(v).replace(/'/g, "''")}'::JSON`;
  if (typeof v === 'string') return `CAST('${v.replace(/'/g, "''")}' AS ${DUCKDB_TYPES[type]})`;
  return `CAST(${String(v)} AS ${DUCKDB_TYPES[type]})`;
}

/** Inserts rows (missing columns: '' for strings, null otherwise, as the loader does). */
export async function insertRows(con: DuckDBConnection, schema: TableSchemas, rows: FixtureRows): Promise<void> {
  for (const [table, list] of Object.entries(rows)) {
    const cols = schema[table];
    if (!cols) throw new Error(`unknown fixture table ${table}`);
    for (const row of list) {
      for (const key of Object.keys(row)) if (!cols.some((c) => c.name === key)) throw new Error(`unknown column ${table}.${key}`);
      const values = cols.map((c) => sqlValue(row[c.name] ?? (c.type === 'string' ? '' : null), c.type));
      await con.run(`INSERT INTO "${table}" VALUES (${values.join(', ')})`);
    }
  }
}

/** A LocalEngine over the Defender schema (plus `extra` tables) with the given rows. */
export async function fixtureEngine(rows: FixtureRows, extra: TableSchemas = {}): Promise<LocalEngine> {
  const schema = { ...defenderSchema(), ...extra };
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await createEmptyTables(con, schema);
  await insertRows(con, schema, rows);
  return LocalEngine.fromConnection(con, { schema, instance });
}

export const NOW = new Date('2024-05-10T12:00:00Z');

export async function rowsOf(engine: LocalEngine, kql: string): Promise<Record<string, unknown>[]> {
  const r: QueryResult = await engine.run(kql, { now: NOW });
  return r.rows;
}
