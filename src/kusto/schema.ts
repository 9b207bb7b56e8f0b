import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Kusto scalar type names used by the schema, the parser and the local engine. */
export type KustoType = 'string' | 'datetime' | 'int' | 'long' | 'bool' | 'real' | 'dynamic' | 'timespan' | 'guid';

export interface ColumnSchema { name: string; type: KustoType }
/** Table name -> ordered columns. */
export type TableSchemas = Record<string, ColumnSchema[]>;

const DOTNET_TO_KUSTO: Record<string, KustoType> = {
  'System.String': 'string',
  'System.DateTime': 'datetime',
  'System.Int32': 'int',
  'System.Int64': 'long',
  'System.Boolean': 'bool',
  'System.Double': 'real',
  'System.Object': 'dynamic',
  'System.TimeSpan': 'timespan',
  'System.Guid': 'guid',
};

type DotnetSchemaFile = { Database: string; Tables: { Table: string; Columns: { Name: string; Type: string }[] }[] }[];

/** Converts the public benchmark's schema file (.NET type names) to Kusto types. */
export function fromDotnetSchema(file: DotnetSchemaFile): TableSchemas {
  const tables: TableSchemas = {};
  for (const db of file) {
    for (const table of db.Tables) {
      tables[table.Table] = table.Columns.map((c) => {
        // The file writes some types without the namespace (Boolean, Double).
        const type = DOTNET_TO_KUSTO[c.Type.startsWith('System.') ? c.Type : `System.${c.Type}`];
        if (!type) throw new Error(`Unknown column type ${c.Type} for ${table.Table}.${c.Name}`);
        return { name: c.Name, type };
      });
    }
  }
  return tables;
}

export const DEFENDER_SCHEMA_PATH = fileURLToPath(new URL('../../prompts/schema/defender-tables.json', import.meta.url));

let cached: TableSchemas | undefined;
/** The Defender XDR advanced-hunting tables: the one schema the skills, the parser check and the local engine share. */
export function defenderSchema(): TableSchemas {
  cached ??= JSON.parse(readFileSync(DEFENDER_SCHEMA_PATH, 'utf8')) as TableSchemas;
  return cached;
}
