import { createRequire } from 'node:module';
import { defenderSchema, type TableSchemas } from './schema.ts';

// The official Kusto parser is a Bridge.NET build that installs globals instead of exporting.
// Loading takes about half a second and symbols are built lazily, so it is loaded once per process.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type KustoLanguage = any;
export type KustoCode = any;
export type SyntaxNode = any;

let language: KustoLanguage | undefined;
let bridge: any;
const globalsBySchema = new Map<TableSchemas, any>();

/** The `Kusto.Language` namespace of the official parser, loaded on first use. */
export function kusto(): KustoLanguage {
  if (!language) {
    const require = createRequire(import.meta.url);
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    const g = globalThis as any;
    language = g.Kusto.Language;
    bridge = g.Bridge;
  }
  return language;
}

/** Converts a Bridge.NET collection to a JS array. */
export function toArray<T = any>(collection: unknown): T[] {
  kusto();
  return bridge.toArray(collection) as T[];
}

/** Name of a syntax kind, e.g. "FilterOperator". */
export function kindName(node: SyntaxNode): string {
  const K = kusto();
  return (globalThis as any).System.Enum.toString(K.Syntax.SyntaxKind, node.Kind);
}

function globalsFor(schema: TableSchemas): any {
  let globals = globalsBySchema.get(schema);
  if (!globals) {
    const K = kusto();
    const tables = Object.entries(schema).map(([name, columns]) =>
      new K.Symbols.TableSymbol.$ctor7(name, `(${columns.map((c) => `['${c.name}']:${c.type}`).join(', ')})`, null));
    const database = new K.Symbols.DatabaseSymbol.ctor('Defender', tables);
    globals = K.GlobalState.Default.WithDatabase(database);
    globalsBySchema.set(schema, globals);
  }
  return globals;
}

export interface KqlDiagnostic { severity: string; code: string; message: string; start: number; length: number }

/** Parses and analyzes KQL against a table schema (the Defender tables unless given). */
export function analyze(kql: string, schema: TableSchemas = defenderSchema()): { code: KustoCode; diagnostics: KqlDiagnostic[] } {
  const K = kusto();
  const code = K.KustoCode.ParseAndAnalyze(kql, globalsFor(schema));
  const diagnostics = toArray(code.GetDiagnostics()).map((d: any) => ({
    severity: String(d.Severity),
    code: String(d.Code),
    message: String(d.Message),
    start: Number(d.Start),
    length: Number(d.Length),
  }));
  return { code, diagnostics };
}

/** Errors only (the parser also reports warnings and suggestions). */
export function errorsOf(diagnostics: KqlDiagnostic[]): KqlDiagnostic[] {
  return diagnostics.filter((d) => d.severity.toLowerCase() === 'error');
}

/** Line and column (1-based) of an offset, for messages. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
