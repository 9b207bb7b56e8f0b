// Regenerates prompts/schema/defender-tables.json from the benchmark's Defender schema (.NET types -> Kusto types).
// Usage: npm run schema:generate -- [path to Defender_Schema.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFENDER_SCHEMA_PATH, fromDotnetSchema } from '../src/kusto/schema.ts';

const source = process.argv[2] ?? 'tests/skills/fixtures/Defender_Schema.json';
const tables = fromDotnetSchema(JSON.parse(readFileSync(source, 'utf8')));
writeFileSync(DEFENDER_SCHEMA_PATH, JSON.stringify(tables, null, 1) + '\n');
console.log(`wrote ${Object.keys(tables).length} tables to ${DEFENDER_SCHEMA_PATH}`);
