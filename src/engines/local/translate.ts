// KQL -> one DuckDB SQL statement, on the syntax tree of the official Kusto parser.
//
// Each tabular step becomes a CTE whose columns are exactly the columns the Kusto analyzer
// gives that step (names such as count_, dcount_X, Column1, DeviceId1 come from the analyzer,
// so naming follows Kusto). Scalar expressions are typed from the analyzer's ResultType.
// Invariants kept in every CTE: string columns are never NULL (Kusto strings cannot be null),
// dynamic values are DuckDB JSON. Row order after sort/top is kept in hidden columns (__oN)
// so later order-preserving steps and the final SELECT can restore it.
// Column pruning: every SQL reference to a column of a step marks it used (through pass-through steps such
// as where and sort, down to their source). Table scans and joins are written last, listing only the columns
// marked used: DuckDB then plans a few columns instead of every column of every table (planning dominated
// short queries).
// Anything not handled throws UnsupportedKqlError with its position: never a different result.

import { analyze, errorsOf, kindName, positionOf, toArray } from '../../kusto/parser.ts';
import { defenderSchema, type TableSchemas } from '../../kusto/schema.ts';
import { KqlSyntaxError, UnsupportedKqlError } from '../../errors.ts';
import type { ResultColumn } from '../types.ts';
import { AGGREGATES, DUCK_TYPE, aggregateFunction, castTo, convert, scalarFunction, sqlString, type ScalarContext } from './functions.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = any;

export interface TranslateOptions { now?: Date; schema?: TableSchemas }
/** `params` is always empty: literals are inlined as escaped SQL literals, which lets DuckDB fold and push down filters. */
export interface Translation { sql: string; params: unknown[]; columns: ResultColumn[] }

interface Col { name: string; type: string; sym?: unknown }
interface OrderKey { col: string; desc: boolean; nullsFirst: boolean }
/**
 * A tabular value: a CTE with visible columns, plus hidden ordering columns. `used`: the columns SQL refers
 * to; `through`: the step whose columns this one passes on unchanged (SELECT * FROM it).
 */
interface Rel { name: string; cols: Col[]; order: OrderKey[]; used: Set<string>; through?: Rel }
/** How a scalar expression names its input columns. */
interface Scope { col(name: string, node: Node): string; aggregate?: boolean }

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function elements(list: Node): Node[] {
  return list ? toArray(list).map((e: Node) => e.Element) : [];
}

function typeName(node: Node): string {
  const t = node?.ResultType;
  return t ? String(t.Name) : 'unknown';
}

function columnsOf(node: Node): Col[] {
  const cols = node?.ResultType?.Columns;
  if (!cols) return [];
  return toArray(cols).map((c: Node) => ({ name: String(c.Name), type: String(c.Type.Name), sym: c }));
}

function unwrapNamed(node: Node): Node {
  return kindName(node) === 'SimpleNamedExpression' ? node.Expression : node;
}

function timestampSql(ms: number, extraMicros = 0): string {
  const iso = new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  const micros = extraMicros ? String(extraMicros).padStart(3, '0') : '';
  return `TIMESTAMP '${iso}${micros}'`;
}

/** Datetime literal text -> SQL; Kusto accepts ISO 8601 and US month-first forms such as "12-12-2022 1:50PM". */
function datetimeLiteral(text: string): string | undefined {
  const s = text.trim();
  if (/^null$/i.test(s)) return 'CAST(NULL AS TIMESTAMP)';
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  let parts: number[] | undefined;
  let fraction = '';
  let offsetMinutes = 0;
  if (m) {
    parts = [+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
    fraction = m[7] ?? '';
    if (m[8] && m[8].toUpperCase() !== 'Z') {
      const o = /([+-])(\d{2}):?(\d{2})/.exec(m[8])!;
      offsetMinutes = (o[1] === '-' ? -1 : 1) * (+o[2] * 60 + +o[3]);
    }
  } else if ((m = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i.exec(s))) {
    let hour = +(m[4] ?? 0);
    if (m[7]) hour = (hour % 12) + (m[7].toUpperCase() === 'PM' ? 12 : 0);
    parts = [+m[3], +m[1], +m[2], hour, +(m[5] ?? 0), +(m[6] ?? 0)];
  }
  if (!parts) return undefined;
  const [y, mo, d, h, mi, se] = parts;
  const ms = Date.UTC(y, mo - 1, d, h, mi, se) - offsetMinutes * 60_000;
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  if (Number.isNaN(ms) || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return undefined;
  const micros = (fraction + '000000').slice(0, 6);
  return timestampSql(ms + Math.floor(+micros / 1000), +micros % 1000);
}

const COMPARE: Record<string, string> = {
  LessThanExpression: '<', LessThanOrEqualExpression: '<=', GreaterThanExpression: '>', GreaterThanOrEqualExpression: '>=',
};
const ARITHMETIC: Record<string, string> = { AddExpression: '+', SubtractExpression: '-', MultiplyExpression: '*', ModuloExpression: '%' };

// String operators: [case-sensitive, negated, kind of match].
const STRING_OPS: Record<string, [boolean, boolean, 'contains' | 'prefix' | 'suffix' | 'has' | 'hasprefix' | 'hassuffix']> = {};
for (const [base, kind] of [['Contains', 'contains'], ['StartsWith', 'prefix'], ['EndsWith', 'suffix'], ['Has', 'has'], ['HasPrefix', 'hasprefix'], ['HasSuffix', 'hassuffix']] as const) {
  STRING_OPS[`${base}Expression`] = [false, false, kind];
  STRING_OPS[`${base}CsExpression`] = [true, false, kind];
  STRING_OPS[`Not${base}Expression`] = [false, true, kind];
  STRING_OPS[`Not${base}CsExpression`] = [true, true, kind];
}

const NON_TERM = String.raw`[^\pL\pN]`;
function termPattern(needle: string, kind: 'has' | 'hasprefix' | 'hassuffix'): string {
  const escaped = needle.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
  // A term boundary is needed only where the needle itself starts or ends inside a term.
  const startsTerm = /^[\p{L}\p{N}]/u.test(needle);
  const endsTerm = /[\p{L}\p{N}]$/u.test(needle);
  const before = kind !== 'hassuffix' && startsTerm ? `(?:^|${NON_TERM})` : '';
  const after = kind !== 'hasprefix' && endsTerm ? `(?:$|${NON_TERM})` : '';
  return `${before}${escaped}${after}`;
}

class Translator implements ScalarContext {
  /** CTE bodies; a function is written at the end, once the steps after it have marked the columns they use. */
  private readonly ctes: { name: string; select: string | (() => string) }[] = [];
  private readonly tables = new Map<string, Rel>();
  private readonly lets = new Map<string, { rel?: Rel; node?: Node }>();
  private counter = 0;
  readonly nowSql: string;
  private scopeStack: Scope[] = [];

  constructor(private readonly text: string, now: Date) {
    this.nowSql = timestampSql(now.getTime());
  }

  // ---- output -------------------------------------------------------------------------------

  query(root: Node): Translation {
    const statements = elements(root.Statements);
    let result: Rel | undefined;
    for (const st of statements) {
      const kind = kindName(st);
      if (kind === 'LetStatement') this.letStatement(st);
      else if (kind === 'ExpressionStatement') {
        if (result) this.unsupported('more than one query result', st);
        result = this.tab(st.Expression);
      } else this.unsupported(`the statement ${kind}`, st);
    }
    if (!result) this.unsupported('a query without a tabular result', root);
    const select = result.cols.map((c) => this.ref(result, c.name)).join(', ');
    // Later CTEs first: each one marks what it reads from the earlier ones.
    const bodies = this.ctes.map((c) => c.select).reverse().map((b) => (typeof b === 'string' ? b : b())).reverse();
    const sql = `WITH ${this.ctes.map((c, i) => `${c.name} AS (${bodies[i]})`).join(',\n')}\nSELECT ${select} FROM ${result.name}${this.orderBy(result)}`;
    return { sql, params: [], columns: result.cols.map((c) => ({ name: c.name, type: c.type })) };
  }

  private letStatement(st: Node) {
    const name = String(st.Name.SimpleName);
    const value = st.Expression;
    const kind = kindName(value);
    if (kind === 'FunctionDeclaration') this.unsupported('user-defined functions (let name = (...) {...})', st);
    if (value.ResultType?.IsTabular) this.lets.set(name, { rel: this.tab(value) });
    else this.lets.set(name, { node: value });
  }

  // ---- helpers ------------------------------------------------------------------------------

  unsupported(what: string, node: Node): never {
    const { line, column } = positionOf(this.text, node?.TextStart ?? 0);
    throw new UnsupportedKqlError(what, line, column);
  }

  private cte(select: string | (() => string), cols: Col[], order: OrderKey[] = [], through?: Rel): Rel {
    const name = `s${++this.counter}`;
    this.ctes.push({ name, select });
    return { name, cols, order, used: new Set(), through };
  }

  /** Marks a column of `rel` used (and of the steps it passes on) and returns its quoted name. */
  private ref(rel: Rel, name: string): string {
    for (let r: Rel | undefined = rel; r; r = r.through) r.used.add(name);
    return q(name);
  }

  private hidden(rel: Rel): string[] {
    return rel.order.map((o) => q(o.col));
  }

  private orderBy(rel: Rel): string {
    if (!rel.order.length) return '';
    return ` ORDER BY ${rel.order.map((o) => `${q(o.col)} ${o.desc ? 'DESC' : 'ASC'} NULLS ${o.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ')}`;
  }

  private scopeOf(rel: Rel, alias?: string): Scope {
    const names = new Set(rel.cols.map((c) => c.name));
    return {
      col: (name, node) => {
        if (!names.has(name)) this.unsupported(`a reference to column ${name} here`, node);
        return alias ? `${alias}.${this.ref(rel, name)}` : this.ref(rel, name);
      },
    };
  }

  private param(node: Node, name: string): string | undefined {
    for (const p of toArray(node.Parameters ?? [])) {
      if (String(p.Name.SimpleName).toLowerCase() === name) return String(p.Expression.ToString(0)).trim();
    }
    return undefined;
  }

  private checkParams(node: Node, allowed: string[], what: string) {
    for (const p of toArray(node.Parameters ?? [])) {
      const name = String(p.Name.SimpleName).toLowerCase();
      if (!allowed.includes(name) && !name.startsWith('hint.')) this.unsupported(`${what} parameter ${name}`, p);
    }
  }

  private requireCount(node: Node, expected: number, actual: number, what: string) {
    if (expected !== actual) this.unsupported(what, node);
  }

  // ---- ScalarContext --------------------------------------------------------------------------

  sql(node: Node): string {
    return this.expr(node, this.scopeStack[this.scopeStack.length - 1], false);
  }

  type(node: Node): string {
    const resolved = this.resolveLet(node);
    return typeName(resolved);
  }

  constant(node: Node): unknown {
    const n = this.resolveLet(node);
    const kind = kindName(n);
    if (kind === 'StringLiteralExpression' || kind === 'CompoundStringLiteralExpression') return String(n.LiteralValue);
    if (kind === 'LongLiteralExpression' || kind === 'IntLiteralExpression' || kind === 'RealLiteralExpression') return n.LiteralValue == null ? null : Number(String(n.LiteralValue));
    if (kind === 'BooleanLiteralExpression') return String(n.LiteralValue).toLowerCase() === 'true';
    if (kind === 'DynamicExpression') return n.LiteralValue == null ? null : JSON.parse(String(n.LiteralValue));
    if (kind === 'ParenthesizedExpression') return this.constant(n.Expression);
    return undefined;
  }

  listItems(nodes: Node[]): { sql: string; value: unknown }[] {
    const items: { sql: string; value: unknown }[] = [];
    for (const node of nodes) {
      const value = this.constant(node);
      if (this.type(node) === 'dynamic') {
        if (!Array.isArray(value)) this.unsupported('a list from a non-constant dynamic value', node);
        for (const v of value) items.push({ sql: this.jsonScalarSql(v, node), value: v });
      } else items.push({ sql: this.sql(node), value });
    }
    return items;
  }

  private jsonScalarSql(v: unknown, node: Node): string {
    if (typeof v === 'string') return sqlString(v);
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : `CAST(${v} AS DOUBLE)`;
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (v === null) return 'NULL';
    return this.unsupported('a nested array or bag inside a list', node);
  }

  private resolveLet(node: Node): Node {
    let n = node;
    for (let i = 0; i < 20 && n && kindName(n) === 'NameReference'; i++) {
      const bound = this.lets.get(String(n.SimpleName));
      if (!bound?.node || this.symbolKind(n) === 'Column') break;
      n = bound.node;
    }
    return n;
  }

  private symbolKind(node: Node): string {
    const sym = node?.ReferencedSymbol;
    if (!sym) return '';
    return (globalThis as any).System.Enum.toString((globalThis as any).Kusto.Language.Symbols.SymbolKind, sym.Kind);
  }

  // ---- tabular expressions ------------------------------------------------------------------

  private tab(node: Node): Rel {
    const kind = kindName(node);
    switch (kind) {
      case 'PipeExpression': return this.operator(node.Operator, this.tab(node.Expression));
      case 'ParenthesizedExpression': return this.tab(node.Expression);
      case 'NameReference': {
        const name = String(node.SimpleName);
        const bound = this.lets.get(name);
        if (bound?.rel) return bound.rel;
        if (this.symbolKind(node) === 'Table') return this.table(name, node);
        return this.unsupported(`the tabular reference ${name}`, node);
      }
      case 'FunctionCallExpression': {
        const name = String(node.Name.SimpleName);
        if (name === 'materialize') return this.tab(elements(node.ArgumentList.Expressions)[0]);
        return this.unsupported(`the tabular function ${name}()`, node);
      }
      case 'MaterializeExpression': return this.tab(node.Expression);
      case 'DataTableExpression': return this.datatable(node);
      case 'PrintOperator': return this.print(node);
      case 'RangeOperator': return this.range(node);
      case 'UnionOperator': return this.union(node, undefined);
      default: return this.unsupported(`the tabular expression ${kind}`, node);
    }
  }

  private table(name: string, node: Node): Rel {
    const known = this.tables.get(name);
    if (known) return known;
    const cols = columnsOf(node);
    const rel: Rel = this.cte(() => {
      const used = cols.filter((c) => rel.used.has(c.name));
      const select = (used.length ? used : cols.slice(0, 1)).map((c) => (c.type === 'string' ? `coalesce(${q(c.name)}, '') AS ${q(c.name)}` : q(c.name)));
      return `SELECT ${select.join(', ')} FROM ${q(name)}`;
    }, cols);
    this.tables.set(name, rel);
    return rel;
  }

  private operator(op: Node, input: Rel): Rel {
    const kind = kindName(op);
    switch (kind) {
      case 'FilterOperator': {
        this.checkParams(op, [], 'where');
        const cond = this.expr(op.Condition, this.scopeOf(input), true);
        return this.cte(`SELECT * FROM ${input.name} WHERE ${cond}`, input.cols, input.order, input);
      }
      case 'ProjectOperator': return this.project(op, input);
      case 'ExtendOperator': return this.extend(op, input);
      case 'SummarizeOperator': return this.summarize(op, input);
      case 'SortOperator': {
        this.checkParams(op, [], 'sort');
        const { select, order } = this.orderKeys(elements(op.Expressions), input);
        return this.cte(`SELECT *, ${select} FROM ${input.name}`, input.cols, order, input);
      }
      case 'TopOperator': {
        this.checkParams(op, [], 'top');
        const { select, order } = this.orderKeys([op.ByExpression], input);
        const rel: Rel = { name: '', cols: input.cols, order, used: new Set() };
        return this.cte(`SELECT *, ${select} FROM ${input.name}${this.orderBy(rel)} LIMIT ${this.limit(op.Expression)}`, input.cols, order, input);
      }
      case 'TakeOperator':
        this.checkParams(op, [], 'take');
        return this.cte(`SELECT * FROM ${input.name}${this.orderBy(input)} LIMIT ${this.limit(op.Expression)}`, input.cols, input.order, input);
      case 'DistinctOperator': {
        this.checkParams(op, [], 'distinct');
        const exprs = elements(op.Expressions);
        const out = columnsOf(op);
        if (exprs.length === 1 && kindName(exprs[0]) === 'StarExpression') {
          return this.cte(`SELECT DISTINCT ${input.cols.map((c) => this.ref(input, c.name)).join(', ')} FROM ${input.name}`, out);
        }
        this.requireCount(op, out.length, exprs.length, 'distinct with these expressions');
        const scope = this.scopeOf(input);
        const select = exprs.map((e, i) => `${castTo(this.expr(unwrapNamed(e), scope), out[i].type)} AS ${q(out[i].name)}`);
        return this.cte(`SELECT DISTINCT ${select.join(', ')} FROM ${input.name}`, out);
      }
      case 'CountOperator': {
        const out = columnsOf(op);
        return this.cte(`SELECT count(*) AS ${q(out[0].name)} FROM ${input.name}`, out);
      }
      case 'ProjectAwayOperator': case 'ProjectKeepOperator': case 'ProjectReorderOperator': {
        const out = columnsOf(op);
        const select = [...out.map((c) => this.ref(input, c.name)), ...this.hidden(input)];
        return this.cte(`SELECT ${select.join(', ')} FROM ${input.name}`, out, input.order);
      }
      case 'ProjectRenameOperator': {
        const out = columnsOf(op);
        this.requireCount(op, input.cols.length, out.length, 'this project-rename');
        const select = [...out.map((c, i) => `${this.ref(input, input.cols[i].name)} AS ${q(c.name)}`), ...this.hidden(input)];
        return this.cte(`SELECT ${select.join(', ')} FROM ${input.name}`, out, input.order);
      }
      case 'JoinOperator': return this.join(op, input);
      case 'LookupOperator': return this.lookup(op, input);
      case 'UnionOperator': return this.union(op, input);
      case 'MvExpandOperator': return this.mvExpand(op, input);
      case 'SerializeOperator':
        if (elements(op.Expressions).length) this.unsupported('serialize with new columns', op);
        return input;
      case 'AsOperator': case 'RenderOperator': return input;
      case 'TopNestedOperator': return this.topNested(op, input);
      default: {
        const keyword = op.GetFirstToken?.()?.Text ?? kind;
        return this.unsupported(`the ${keyword} operator`, op);
      }
    }
  }

  private limit(node: Node): string {
    const v = this.constant(node);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) this.unsupported('a row count that is not a constant whole number', node);
    return String(v);
  }

  private orderKeys(exprs: Node[], input: Rel): { select: string; order: OrderKey[] } {
    const scope = this.scopeOf(input);
    const order: OrderKey[] = [];
    const select: string[] = [];
    for (const e of exprs) {
      let value = e;
      let desc = true;
      let nullsFirst: boolean | undefined;
      if (kindName(e) === 'OrderedExpression') {
        value = e.Expression;
        const ordering = e.Ordering;
        const dir = ordering?.AscOrDescKeyword?.Text;
        if (dir) desc = String(dir).toLowerCase() === 'desc';
        const nulls = ordering?.NullsClause?.FirstOrLastKeyword?.Text;
        if (nulls) nullsFirst = String(nulls).toLowerCase() === 'first';
      }
      const col = `__o${++this.counter}`;
      select.push(`${this.expr(value, scope)} AS ${q(col)}`);
      // Kusto: nulls last when descending, first when ascending, unless the query says otherwise.
      order.push({ col, desc, nullsFirst: nullsFirst ?? !desc });
    }
    return { select: select.join(', '), order };
  }

  private project(op: Node, input: Rel): Rel {
    const exprs = elements(op.Expressions);
    const out = columnsOf(op);
    this.requireCount(op, out.length, exprs.length, 'project with these expressions');
    const scope = this.scopeOf(input);
    const select = exprs.map((e, i) => {
      if (kindName(e) === 'CompoundNamedExpression') this.unsupported('project with a (A, B) = ... assignment', e);
      return `${castTo(this.expr(unwrapNamed(e), scope), out[i].type)} AS ${q(out[i].name)}`;
    });
    return this.cte(`SELECT ${[...select, ...this.hidden(input)].join(', ')} FROM ${input.name}`, out, input.order);
  }

  private extend(op: Node, input: Rel): Rel {
    // Expressions of one extend see only the input columns (the analyzer rejects anything else),
    // so a single SELECT is exact: replaced columns keep their position, new ones are appended.
    const out = columnsOf(op);
    const scope = this.scopeOf(input);
    const assigned = new Map<string, string>();
    for (const e of elements(op.Expressions)) {
      if (kindName(e) === 'CompoundNamedExpression') this.unsupported('extend with a (A, B) = ... assignment', e);
      const value = unwrapNamed(e);
      const name = kindName(e) === 'SimpleNamedExpression' ? String(e.Name.SimpleName) : this.generatedName(out, value, e);
      const type = out.find((c) => c.name === name)?.type ?? typeName(value);
      assigned.set(name, castTo(this.expr(value, scope), type));
    }
    const select = out.map((c) => (assigned.has(c.name) ? `${assigned.get(c.name)} AS ${q(c.name)}` : this.ref(input, c.name)));
    return this.cte(`SELECT ${[...select, ...this.hidden(input)].join(', ')} FROM ${input.name}`, out, input.order);
  }

  /** The analyzer's name for an unnamed expression (Column1, strlen_A, ...): the output column whose source it is. */
  private generatedName(out: Col[], value: Node, element: Node): string {
    if (kindName(value) === 'NameReference' && this.symbolKind(value) === 'Column') return String(value.SimpleName);
    const match = out.find((c: any) => {
      const src = c.sym?.Source;
      return src && (src === value || src === element || (src.TextStart === value.TextStart && src.End === value.End));
    });
    if (!match) this.unsupported('an unnamed expression whose column name cannot be determined', value);
    return match.name;
  }

  private summarize(op: Node, input: Rel): Rel {
    this.checkParams(op, [], 'summarize');
    const out = columnsOf(op);
    const by = op.ByClause ? elements(op.ByClause.Expressions) : [];
    if (op.ByClause?.BinClause) this.unsupported('summarize ... by with a bin= clause', op.ByClause);
    const aggs = elements(op.Aggregates);
    const scope = this.scopeOf(input);
    const aggScope: Scope = { ...scope, aggregate: true };
    const inner: string[] = [];
    const outer: string[] = [];
    let index = 0;
    for (const e of by) {
      const c = out[index++];
      inner.push(`${castTo(this.expr(unwrapNamed(e), scope), c.type)} AS ${q(c.name)}`);
      outer.push(q(c.name));
    }
    const byNames = new Set(out.slice(0, by.length).map((c) => c.name));
    let structs = 0;
    for (const e of aggs) {
      if (kindName(e) === 'CompoundNamedExpression') this.unsupported('summarize with a (A, B) = ... assignment', e);
      const value = unwrapNamed(e);
      const fn = kindName(value) === 'FunctionCallExpression' ? String(value.Name.SimpleName) : '';
      const args = fn ? elements(value.ArgumentList.Expressions) : [];
      const star = args.some((a) => kindName(a) === 'StarExpression');
      if (fn === 'arg_max' || fn === 'arg_min' || ((fn === 'take_any' || fn === 'any') && (args.length > 1 || star))) {
        const picked = fn.startsWith('arg_') ? args.slice(1) : args;
        const items: string[] = [];
        if (fn.startsWith('arg_')) items.push(this.expr(args[0], scope));
        const keyName = fn.startsWith('arg_') && kindName(args[0]) === 'NameReference' ? String(args[0].SimpleName) : undefined;
        for (const p of picked) {
          if (kindName(p) === 'StarExpression') {
            for (const c of input.cols) if (!byNames.has(c.name) && c.name !== keyName) items.push(this.ref(input, c.name));
          } else items.push(this.expr(unwrapNamed(p), scope));
        }
        const struct = `{${items.map((s, i) => `'v${i}': ${s}`).join(', ')}}`;
        const m = `__m${++structs}`;
        const agg = fn.startsWith('arg_') ? `${fn}(${struct}, ${items[0]})` : `any_value(${struct})`;
        inner.push(`${agg} AS ${q(m)}`);
        for (let i = 0; i < items.length; i++) {
          const c = out[index++];
          if (!c) this.unsupported(`${fn}() here (unexpected columns)`, value);
          outer.push(`${castTo(`struct_extract(${q(m)}, 'v${i}')`, c.type)} AS ${q(c.name)}`);
        }
      } else if (fn === 'percentiles') {
        for (const p of args.slice(1)) {
          const c = out[index++];
          inner.push(`${castTo(`quantile_disc(${this.expr(args[0], scope)}, ${this.expr(p, scope)} / 100.0)`, c.type)} AS ${q(c.name)}`);
          outer.push(q(c.name));
        }
      } else {
        const c = out[index++];
        if (!c) this.unsupported('this summarize (unexpected columns)', value);
        inner.push(`${castTo(this.expr(value, aggScope), c.type)} AS ${q(c.name)}`);
        outer.push(q(c.name));
      }
    }
    this.requireCount(op, out.length, index, 'this summarize (column count differs from Kusto)');
    const groupBy = by.length ? ` GROUP BY ${by.map((_, i) => i + 1).join(', ')}` : '';
    const first = this.cte(`SELECT ${inner.join(', ')} FROM ${input.name}${groupBy}`, structs ? [] : out);
    if (!structs) return first;
    return this.cte(`SELECT ${outer.join(', ')} FROM ${first.name}`, out);
  }

  // ---- join, lookup, union ----------------------------------------------------------------

  private joinKeys(clause: Node): [string, string][] {
    const keys: [string, string][] = [];
    const side = (n: Node): [string, string] | undefined => {
      if (kindName(n) !== 'PathExpression') return undefined;
      const owner = String(n.Expression?.SimpleName ?? '');
      if (owner !== '$left' && owner !== '$right') return undefined;
      return [owner, String(n.Selector.SimpleName)];
    };
    const visit = (e: Node) => {
      const kind = kindName(e);
      if (kind === 'NameReference') keys.push([String(e.SimpleName), String(e.SimpleName)]);
      else if (kind === 'AndExpression') { visit(e.Left); visit(e.Right); }
      else if (kind === 'ParenthesizedExpression') visit(e.Expression);
      else if (kind === 'EqualExpression') {
        const l = side(e.Left);
        const r = side(e.Right);
        if (!l || !r || l[0] === r[0]) this.unsupported('a join condition other than $left.A == $right.B', e);
        keys.push(l[0] === '$left' ? [l[1], r[1]] : [r[1], l[1]]);
      } else this.unsupported(`the join condition ${kind}`, e);
    };
    if (!clause) return keys;
    const kind = kindName(clause);
    if (kind === 'JoinOnClause') elements(clause.Expressions).forEach(visit);
    else if (kind === 'JoinWhereClause') visit(clause.Expression);
    else this.unsupported(`the join clause ${kind}`, clause);
    return keys;
  }

  private join(op: Node, left: Rel): Rel {
    this.checkParams(op, ['kind'], 'join');
    const kind = (this.param(op, 'kind') ?? 'innerunique').toLowerCase();
    const right = this.tab(op.Expression);
    const keys = this.joinKeys(op.ConditionClause);
    if (!keys.length) this.unsupported('a join without keys', op);
    const out = columnsOf(op);
    const on = keys.map(([l, r]) => `l.${this.ref(left, l)} = r.${this.ref(right, r)}`).join(' AND ');
    // Output column i of the join comes from column i of the left side, then of the right side.
    const sides = [
      ...left.cols.map((c) => ({ rel: left, alias: 'l', col: c })),
      ...right.cols.map((c) => ({ rel: right, alias: 'r', col: c })),
    ];
    const semi = kind === 'leftsemi' || kind === 'leftanti' || kind === 'rightsemi' || kind === 'rightanti';
    const kept = semi ? sides.filter((s) => s.rel === (kind.startsWith('left') ? left : right)) : sides;
    this.requireCount(op, out.length, kept.length, `join kind=${kind}`);
    const nullable = (alias: string) => (alias === 'l' ? kind === 'rightouter' || kind === 'fullouter' : kind === 'leftouter' || kind === 'fullouter');
    // Written last: only the output columns that later steps use (at least one, so the SELECT has a column).
    const select = (): string => {
      const used = out.map((_, i) => i).filter((i) => rel.used.has(out[i].name));
      return (used.length ? used : [0]).map((i) => {
        const { rel: side, alias, col } = kept[i];
        const v = `${alias}.${this.ref(side, col.name)}`;
        return `${nullable(alias) && col.type === 'string' ? `coalesce(${v}, '')` : v} AS ${q(out[i].name)}`;
      }).join(', ');
    };
    let from: string;
    if (semi) {
      const [keep, other] = kind.startsWith('left') ? [left, right] : [right, left];
      const [keepAlias, otherAlias] = kind.startsWith('left') ? ['l', 'r'] : ['r', 'l'];
      from = `${keep.name} ${keepAlias} WHERE ${kind.endsWith('anti') ? 'NOT EXISTS' : 'EXISTS'} (SELECT 1 FROM ${other.name} ${otherAlias} WHERE ${on})`;
    } else {
      const sql: Record<string, string> = { innerunique: 'JOIN', inner: 'JOIN', leftouter: 'LEFT JOIN', rightouter: 'RIGHT JOIN', fullouter: 'FULL JOIN' };
      if (!sql[kind]) this.unsupported(`join kind=${kind}`, op);
      // innerunique (Kusto's default) keeps one left row per join key before joining.
      const leftFrom = kind === 'innerunique'
        ? `(SELECT DISTINCT ON (${keys.map(([l]) => q(l)).join(', ')}) * FROM ${left.name})`
        : left.name;
      from = `${leftFrom} l ${sql[kind]} ${right.name} r ON ${on}`;
    }
    const rel: Rel = this.cte(() => `SELECT ${select()} FROM ${from}`, out);
    return rel;
  }

  private lookup(op: Node, left: Rel): Rel {
    this.checkParams(op, ['kind'], 'lookup');
    const kind = (this.param(op, 'kind') ?? 'leftouter').toLowerCase();
    if (kind !== 'leftouter' && kind !== 'inner') this.unsupported(`lookup kind=${kind}`, op);
    const right = this.tab(op.Expression);
    const keys = this.joinKeys(op.LookupClause);
    const rightKeys = new Set(keys.map(([, r]) => r));
    const rightCols = right.cols.filter((c) => !rightKeys.has(c.name));
    const out = columnsOf(op);
    this.requireCount(op, out.length, left.cols.length + rightCols.length, 'this lookup');
    const select = [
      ...left.cols.map((c, i) => `l.${this.ref(left, c.name)} AS ${q(out[i].name)}`),
      ...rightCols.map((c, i) => {
        const v = `r.${this.ref(right, c.name)}`;
        return `${kind === 'leftouter' && c.type === 'string' ? `coalesce(${v}, '')` : v} AS ${q(out[left.cols.length + i].name)}`;
      }),
    ];
    const on = keys.map(([l, r]) => `l.${this.ref(left, l)} = r.${this.ref(right, r)}`).join(' AND ');
    return this.cte(`SELECT ${select.join(', ')} FROM ${left.name} l ${kind === 'inner' ? 'JOIN' : 'LEFT JOIN'} ${right.name} r ON ${on}`, out);
  }

  private union(op: Node, input: Rel | undefined): Rel {
    this.checkParams(op, ['kind', 'withsource', 'isfuzzy'], 'union');
    const source = this.param(op, 'withsource');
    const legs: { rel: Rel; label: string }[] = input ? [{ rel: input, label: '' }] : [];
    for (const e of elements(op.Expressions)) {
      if (kindName(e) === 'NameReference' && /[*]/.test(String(e.SimpleName))) this.unsupported('union with wildcard table names', e);
      legs.push({ rel: this.tab(e), label: kindName(e) === 'NameReference' ? String(e.SimpleName) : '' });
    }
    if (source && legs.some((l) => !l.label)) this.unsupported('union withsource= over a subquery', op);
    const out = columnsOf(op);
    const selects = legs.map(({ rel, label }) => {
      const items = out.map((c) => {
        if (source && c.name === source) return `${sqlString(label)} AS ${q(c.name)}`;
        const originals = toArray((c.sym as any)?.OriginalColumns ?? []);
        const match = rel.cols.find((lc) => originals.includes(lc.sym)) ?? rel.cols.find((lc) => lc.name === c.name && lc.type === c.type);
        if (!match) return `${c.type === 'string' ? "''" : `CAST(NULL AS ${DUCK_TYPE[c.type] ?? 'VARCHAR'})`} AS ${q(c.name)}`;
        return `${castTo(this.ref(rel, match.name), c.type)} AS ${q(c.name)}`;
      });
      return `SELECT ${items.join(', ')} FROM ${rel.name}`;
    });
    return this.cte(selects.join(' UNION ALL '), out);
  }

  // ---- mv-expand, top-nested, sources -----------------------------------------------------

  private mvExpand(op: Node, input: Rel): Rel {
    this.checkParams(op, ['with_itemindex', 'bagexpansion', 'kind'], 'mv-expand');
    const kind = (this.param(op, 'kind') ?? this.param(op, 'bagexpansion') ?? 'bag').toLowerCase();
    if (kind !== 'bag') this.unsupported(`mv-expand kind=${kind}`, op);
    const index = this.param(op, 'with_itemindex');
    const limit = op.RowLimitClause ? this.limit(op.RowLimitClause.RowLimit) : undefined;
    const out = columnsOf(op);
    const scope = this.scopeOf(input);
    const expanded = new Map<string, string>();
    const lists: string[] = [];
    const inner: string[] = [];
    for (const e of elements(op.Expressions)) {
      const named = e.Expression;
      const value = unwrapNamed(named);
      const name = kindName(named) === 'SimpleNamedExpression' ? String(named.Name.SimpleName) : this.generatedName(out, value, named);
      let items = `kql_mv_items(${convert(this.expr(value, scope), typeName(value), 'dynamic')})`;
      if (limit) items = `list_slice(${items}, 1, ${limit})`;
      const col = `__x${++this.counter}`;
      inner.push(`unnest(${items}) AS ${q(col)}`);
      lists.push(items);
      expanded.set(name, col);
    }
    // Arrays expand in parallel (DuckDB's unnest pads the shorter ones with null, like Kusto).
    if (index) inner.push(`unnest(range(greatest(${lists.map((l) => `len(${l})`).join(', ')}))) AS "__idx"`);
    const keep = input.cols.filter((c) => !expanded.has(c.name)).map((c) => this.ref(input, c.name));
    const first = this.cte(`SELECT ${[...keep, ...this.hidden(input), ...inner].join(', ')} FROM ${input.name}`, [], input.order);
    const select = out.map((c) => {
      if (index && c.name === index) return `CAST("__idx" AS BIGINT) AS ${q(c.name)}`;
      const col = expanded.get(c.name);
      return col ? `${convert(q(col), 'dynamic', c.type)} AS ${q(c.name)}` : q(c.name);
    });
    return this.cte(`SELECT ${[...select, ...this.hidden(input)].join(', ')} FROM ${first.name}`, out, input.order);
  }

  private topNested(op: Node, input: Rel): Rel {
    // Level i keeps the top N values of its key (ranked by its aggregate) within each group of the levels above.
    const out = columnsOf(op);
    const clauses = elements(op.Clauses);
    this.requireCount(op, out.length, clauses.length * 2, 'top-nested with this shape');
    const scope = this.scopeOf(input);
    const keys = clauses.map((_, i) => q(`__k${i}`));
    const aggs = clauses.map((_, i) => q(`__a${i}`));
    const keyExprs = clauses.map((c, i) => {
      if (!c.OfExpression || !c.ByExpression || !c.Expression) this.unsupported('top-nested without N, of and by', c);
      return `${this.expr(unwrapNamed(c.OfExpression), scope)} AS ${keys[i]}`;
    });
    const base = this.cte(`SELECT *, ${keyExprs.join(', ')} FROM ${input.name}`, []);
    let previous: Rel | undefined;
    clauses.forEach((clause, i) => {
      let by = clause.ByExpression;
      let desc = true;
      if (kindName(by) === 'OrderedExpression') {
        desc = String(by.Ordering?.AscOrDescKeyword?.Text ?? 'desc').toLowerCase() === 'desc';
        by = by.Expression;
      }
      const agg = castTo(this.expr(unwrapNamed(by), { ...scope, aggregate: true }), out[i * 2 + 1].type);
      const parents = keys.slice(0, i);
      const within = previous ? ` WHERE (${parents.join(', ')}) IN (SELECT (${parents.join(', ')}) FROM ${previous.name})` : '';
      const partition = parents.length ? `PARTITION BY ${parents.join(', ')} ` : '';
      const level = this.cte(`SELECT ${keys.slice(0, i + 1).join(', ')}, ${agg} AS ${aggs[i]} FROM ${base.name}${within} GROUP BY ${keys.slice(0, i + 1).join(', ')}
        QUALIFY row_number() OVER (${partition}ORDER BY ${aggs[i]} ${desc ? 'DESC' : 'ASC'} NULLS LAST) <= ${this.limit(clause.Expression)}`, []);
      previous = previous
        ? this.cte(`SELECT p.*, c.${keys[i]}, c.${aggs[i]} FROM ${previous.name} p JOIN ${level.name} c ON ${parents.map((k) => `p.${k} IS NOT DISTINCT FROM c.${k}`).join(' AND ')}`, [])
        : level;
    });
    const select = out.map((c, j) => `${j % 2 === 0 ? keys[j / 2] : aggs[(j - 1) / 2]} AS ${q(c.name)}`);
    return this.cte(`SELECT ${select.join(', ')} FROM ${previous!.name}`, out);
  }

  private print(op: Node): Rel {
    const exprs = elements(op.Expressions);
    const out = columnsOf(op);
    const scope: Scope = { col: (name, node) => this.unsupported(`column ${name} in print`, node) };
    const select = exprs.map((e, i) => `${castTo(this.expr(unwrapNamed(e), scope), out[i].type)} AS ${q(out[i].name)}`);
    return this.cte(`SELECT ${select.join(', ')}`, out);
  }

  private range(op: Node): Rel {
    const out = columnsOf(op);
    const scope: Scope = { col: (name, node) => this.unsupported(`column ${name} in range`, node) };
    const [from, to, step] = [op.From, op.To, op.Step].map((e) => this.expr(e, scope));
    return this.cte(`SELECT ${castTo('generate_series', out[0].type)} AS ${q(out[0].name)} FROM generate_series(${from}, ${to}, ${step})`, out);
  }

  private datatable(node: Node): Rel {
    this.checkParams(node, [], 'datatable');
    const out = columnsOf(node);
    const values = elements(node.Values);
    if (!out.length || values.length % out.length !== 0) this.unsupported('a datatable whose values do not fill its rows', node);
    const scope: Scope = { col: (name, n) => this.unsupported(`column ${name} in datatable`, n) };
    const cell = (v: Node, c: Col) => {
      const sql = convert(this.expr(v, scope), typeName(v), c.type);
      return c.type === 'string' ? sql : `CAST(${sql} AS ${DUCK_TYPE[c.type] ?? 'VARCHAR'})`;
    };
    if (!values.length) {
      return this.cte(`SELECT ${out.map((c) => `CAST(NULL AS ${DUCK_TYPE[c.type] ?? 'VARCHAR'}) AS ${q(c.name)}`).join(', ')} WHERE false`, out);
    }
    const rows: string[] = [];
    for (let i = 0; i < values.length; i += out.length) {
      rows.push(`SELECT ${out.map((c, j) => `${cell(values[i + j], c)} AS ${q(c.name)}`).join(', ')}`);
    }
    return this.cte(rows.join(' UNION ALL '), out);
  }

  // ---- scalar expressions -------------------------------------------------------------------

  /** `pred`: the value is only used as a where/filter condition, so null and false may be treated alike. */
  private expr(node: Node, scope: Scope, pred = false): string {
    this.scopeStack.push(scope);
    try {
      return this.exprInner(node, scope, pred);
    } finally {
      this.scopeStack.pop();
    }
  }

  private exprInner(node: Node, scope: Scope, pred: boolean): string {
    const kind = kindName(node);
    const e = (n: Node, p = false) => this.expr(n, scope, p);
    switch (kind) {
      case 'ParenthesizedExpression': return `(${e(node.Expression, pred)})`;
      case 'StringLiteralExpression': case 'CompoundStringLiteralExpression': case 'GuidLiteralExpression':
        return sqlString(String(node.LiteralValue ?? node.LiteralValueInfo?.ValueText ?? ''));
      case 'LongLiteralExpression': case 'IntLiteralExpression': case 'RealLiteralExpression': case 'DecimalLiteralExpression': {
        const type = DUCK_TYPE[typeName(node)] ?? 'DOUBLE';
        if (node.LiteralValue == null) return `CAST(NULL AS ${type})`;
        const text = String(node.LiteralValue);
        if (!/^-?[0-9.]+(E[+-]?[0-9]+)?$/i.test(text)) this.unsupported(`the number ${text}`, node);
        return `CAST(${text} AS ${type})`;
      }
      case 'BooleanLiteralExpression':
        return node.LiteralValue == null ? 'CAST(NULL AS BOOLEAN)' : String(node.LiteralValue).toLowerCase() === 'true' ? 'true' : 'false';
      case 'DateTimeLiteralExpression': {
        const text = String(node.LiteralValueInfo?.ValueText ?? '');
        const sql = datetimeLiteral(text);
        if (!sql) this.unsupported(`the datetime literal "${text.trim()}"`, node);
        return sql;
      }
      case 'TimespanLiteralExpression': {
        const v = node.LiteralValue;
        if (v == null) return 'CAST(NULL AS INTERVAL)';
        const ticks = BigInt(String(v.ticks));
        return `to_microseconds(CAST(${ticks / 10n} AS BIGINT))`;
      }
      case 'NullLiteralExpression': return 'NULL';
      case 'DynamicExpression':
        return node.LiteralValue == null ? 'CAST(NULL AS JSON)' : `CAST(${sqlString(String(node.LiteralValue))} AS JSON)`;
      case 'NameReference': {
        const name = String(node.SimpleName);
        const symKind = this.symbolKind(node);
        if (symKind === 'Column') return scope.col(name, node);
        const bound = this.lets.get(name);
        if (bound?.node) return `(${e(bound.node, pred)})`;
        if (bound?.rel) this.unsupported(`the tabular value ${name} used as a scalar`, node);
        return this.unsupported(`the name ${name}`, node);
      }
      case 'UnaryMinusExpression': return `(-${e(node.Expression)})`;
      case 'UnaryPlusExpression': return e(node.Expression);
      case 'AndExpression': return `(${e(node.Left, pred)} AND ${e(node.Right, pred)})`;
      case 'OrExpression': return `(${e(node.Left, pred)} OR ${e(node.Right, pred)})`;
      case 'EqualExpression': case 'NotEqualExpression': return this.equality(node, scope, pred, kind === 'NotEqualExpression');
      case 'EqualTildeExpression': case 'BangTildeExpression': {
        const eq = `lower(${this.asString(node.Left, scope)}) = ${this.lowerSql(node.Right, scope)}`;
        return kind === 'BangTildeExpression' ? `(NOT (${eq}))` : `(${eq})`;
      }
      case 'DivideExpression': {
        const [l, r] = [e(node.Left), e(node.Right)];
        const lt = typeName(node.Left);
        const rt = typeName(node.Right);
        if (lt === 'timespan' && rt === 'timespan') return `(CAST(kql_timespan_us(${l}) AS DOUBLE) / kql_timespan_us(${r}))`;
        if (lt === 'timespan') return `to_microseconds(CAST(kql_timespan_us(${l}) / ${r} AS BIGINT))`;
        const integral = ['int', 'long'].includes(lt) && ['int', 'long'].includes(rt);
        return integral ? `(${l} // ${r})` : `(CAST(${l} AS DOUBLE) / ${r})`;
      }
      case 'MatchesRegexExpression': return `regexp_matches(${this.asString(node.Left, scope)}, ${e(node.Right)})`;
      case 'InExpression': case 'InCsExpression': case 'NotInExpression': case 'NotInCsExpression': return this.inList(node, scope, pred);
      case 'BetweenExpression': case 'NotBetweenExpression': {
        const left = e(node.Left);
        const lo = e(node.Right.First);
        let hi = e(node.Right.Second);
        if (typeName(node.Left) === 'datetime' && typeName(node.Right.Second) === 'timespan') hi = `(${lo} + ${hi})`;
        const between = `(${left} BETWEEN ${lo} AND ${hi})`;
        return kind === 'NotBetweenExpression' ? `(NOT ${between})` : between;
      }
      case 'HasAnyExpression': case 'HasAllExpression': {
        const items = this.listItems(elements(node.Right.Expressions));
        const needles = items.map((i) => (typeof i.value === 'string' ? i.value : typeof i.value === 'number' ? String(i.value) : undefined));
        if (needles.some((n) => n === undefined)) this.unsupported(`${kind === 'HasAnyExpression' ? 'has_any' : 'has_all'} with non-constant terms`, node);
        const left = this.asString(node.Left, scope);
        if (!needles.length) return kind === 'HasAnyExpression' ? 'false' : 'true';
        if (kind === 'HasAnyExpression') {
          const pattern = needles.map((n) => termPattern(n!, 'has')).join('|');
          return `regexp_matches(${left}, ${sqlString(pattern)}, 'i')`;
        }
        return `(${needles.map((n) => `regexp_matches(${left}, ${sqlString(termPattern(n!, 'has'))}, 'i')`).join(' AND ')})`;
      }
      case 'FunctionCallExpression': return this.call(node, scope);
      case 'ToScalarExpression': return this.toScalar(node.Expression, node);
      case 'PathExpression': case 'ElementExpression': return this.member(node, scope);
      default: {
        if (COMPARE[kind]) return `(${this.operand(node.Left, node.Right, scope)} ${COMPARE[kind]} ${this.operand(node.Right, node.Left, scope)})`;
        if (ARITHMETIC[kind]) return `(${e(node.Left)} ${ARITHMETIC[kind]} ${e(node.Right)})`;
        const op = STRING_OPS[kind];
        if (op) return this.stringOp(node, scope, ...op);
        return this.unsupported(`the expression ${node.ToString?.(0)?.trim?.() ?? kind}`, node);
      }
    }
  }

  /** One side of a comparison, converted to the other side's type when one of them is dynamic. */
  private operand(node: Node, other: Node, scope: Scope): string {
    const sql = this.expr(node, scope);
    const t = typeName(node);
    const ot = typeName(other);
    if (t === 'dynamic' && ot !== 'dynamic' && ot !== 'unknown') return convert(sql, 'dynamic', ot);
    return sql;
  }

  private nonNull(node: Node): boolean {
    const n = this.resolveLet(node);
    const kind = kindName(n);
    if (typeName(n) === 'string') return true;
    return /LiteralExpression$/.test(kind) && kind !== 'NullLiteralExpression' && n.LiteralValue != null;
  }

  /** Kusto: null == x is false and null != x is true when x is not null; null vs null is null. */
  private equality(node: Node, scope: Scope, pred: boolean, negate: boolean): string {
    const l = this.operand(node.Left, node.Right, scope);
    const r = this.operand(node.Right, node.Left, scope);
    const safe = this.nonNull(node.Left) || this.nonNull(node.Right);
    const bothSafe = this.nonNull(node.Left) && this.nonNull(node.Right);
    if (bothSafe) return `(${l} ${negate ? '<>' : '='} ${r})`;
    if (safe) {
      if (negate) return `(${l} IS DISTINCT FROM ${r})`;
      return pred ? `(${l} = ${r})` : `coalesce(${l} = ${r}, false)`;
    }
    const core = negate ? `${l} IS DISTINCT FROM ${r}` : `${l} IS NOT DISTINCT FROM ${r}`;
    return `(CASE WHEN ${l} IS NULL AND ${r} IS NULL THEN NULL ELSE ${core} END)`;
  }

  private asString(node: Node, scope: Scope): string {
    return convert(this.expr(node, scope), typeName(node), 'string');
  }

  private lowerSql(node: Node, scope: Scope): string {
    const v = this.constant(node);
    return typeof v === 'string' ? sqlString(v.toLowerCase()) : `lower(${this.asString(node, scope)})`;
  }

  private stringOp(node: Node, scope: Scope, cs: boolean, negate: boolean, kind: string): string {
    const left = this.asString(node.Left, scope);
    let test: string;
    if (kind === 'has' || kind === 'hasprefix' || kind === 'hassuffix') {
      const v = this.constant(node.Right);
      const needle = typeof v === 'number' ? String(v) : v;
      if (typeof needle !== 'string') this.unsupported(`${kind} with a non-constant term`, node.Right);
      test = `regexp_matches(${left}, ${sqlString(termPattern(needle, kind))}${cs ? '' : ", 'i'"})`;
    } else {
      const fn = kind === 'contains' ? 'contains' : kind === 'prefix' ? 'starts_with' : 'suffix';
      test = cs
        ? `${fn}(${left}, ${this.asString(node.Right, scope)})`
        : `${fn}(lower(${left}), ${this.lowerSql(node.Right, scope)})`;
    }
    return negate ? `(NOT ${test})` : test;
  }

  private inList(node: Node, scope: Scope, pred: boolean): string {
    const kind = kindName(node);
    const negate = kind.startsWith('Not');
    // The parser names in~ / !in~ InCsExpression / NotInCsExpression, and in / !in InExpression / NotInExpression.
    const insensitive = kind.includes('Cs');
    const leftType = typeName(node.Left);
    const exprs = elements(node.Right.Expressions);
    let left = this.expr(node.Left, scope);
    let test: string;
    if (exprs.length === 1 && this.resolveLet(exprs[0]).ResultType?.IsTabular) {
      const rel = this.tab(this.resolveLet(exprs[0]));
      const first = this.ref(rel, rel.cols[0].name);
      test = insensitive ? `lower(${this.asString(node.Left, scope)}) IN (SELECT lower(${first}) FROM ${rel.name})` : `${left} IN (SELECT ${first} FROM ${rel.name})`;
    } else {
      const items = this.listItems(exprs).map((item, i) => {
        if (insensitive) {
          return typeof item.value === 'string' ? sqlString(item.value.toLowerCase()) : `lower(${convert(item.sql, item.value === undefined ? typeName(exprs[i]) : 'string', 'string')})`;
        }
        // A string constant against a number column compares as a number (as DuckDB would cast it).
        if (typeof item.value === 'string' && ['int', 'long', 'real'].includes(leftType)) {
          const n = Number(item.value);
          return item.value.trim() !== '' && Number.isFinite(n) ? String(n) : undefined;
        }
        if (typeof item.value === 'number' && leftType === 'string') return sqlString(String(item.value));
        return item.sql;
      }).filter((s): s is string => s !== undefined);
      if (insensitive) left = `lower(${this.asString(node.Left, scope)})`;
      if (!items.length) return negate ? 'true' : 'false';
      test = `${left} IN (${items.join(', ')})`;
    }
    // Kusto: a null value is not in any list.
    if (this.nonNull(node.Left) || insensitive) return negate ? `(NOT (${test}))` : `(${test})`;
    if (negate) return `(NOT coalesce(${test}, false))`;
    return pred ? `(${test})` : `coalesce(${test}, false)`;
  }

  private toScalar(inner: Node, node: Node): string {
    const rel = this.tab(inner);
    if (!rel.cols.length) this.unsupported('toscalar() of a table without columns', node);
    return `(SELECT ${this.ref(rel, rel.cols[0].name)} FROM ${rel.name}${this.orderBy(rel)} LIMIT 1)`;
  }

  private member(node: Node, scope: Scope): string {
    // Bag and array access on a dynamic value: build one JSON path.
    const path: string[] = [];
    let n = node;
    while (kindName(n) === 'PathExpression' || kindName(n) === 'ElementExpression') {
      if (kindName(n) === 'PathExpression') path.unshift(`."${String(n.Selector.SimpleName).replace(/"/g, '\\"')}"`);
      else {
        const v = this.constant(n.Selector.Expression);
        if (typeof v === 'string') path.unshift(`."${v.replace(/"/g, '\\"')}"`);
        else if (typeof v === 'number' && Number.isInteger(v)) path.unshift(v < 0 ? `[#${v}]` : `[${v}]`);
        else this.unsupported('an element access with a non-constant index', n.Selector);
      }
      n = n.Expression;
    }
    if (typeName(n) !== 'dynamic') this.unsupported(`member access on a ${typeName(n)} value`, node);
    return `json_extract(${this.expr(n, scope)}, ${sqlString('$' + path.join(''))})`;
  }

  private call(node: Node, scope: Scope): string {
    const name = String(node.Name.SimpleName);
    const args = elements(node.ArgumentList.Expressions);
    if (name === 'toscalar') return this.toScalar(args[0], node);
    if (AGGREGATES.has(name)) {
      if (!scope.aggregate) this.unsupported(`the aggregate ${name}() outside summarize`, node);
      if (['arg_max', 'arg_min', 'percentiles'].includes(name)) this.unsupported(`${name}() inside an expression`, node);
      // Arguments of an aggregate are row-level expressions.
      const rowScope: Scope = { col: scope.col };
      this.scopeStack.push(rowScope);
      try {
        return aggregateFunction(name, node, args, this);
      } finally {
        this.scopeStack.pop();
      }
    }
    return scalarFunction(name, node, args, this);
  }
}

/** Translates KQL to one DuckDB SQL statement with the result's Kusto column types. */
export function translateKql(kql: string, opts: TranslateOptions = {}): Translation {
  const { code, diagnostics } = analyze(kql, opts.schema ?? defenderSchema());
  const errors = errorsOf(diagnostics);
  if (errors.length) {
    const first = errors[0];
    const { line, column } = positionOf(kql, first.start);
    throw new KqlSyntaxError(`${first.message} (line ${line}, column ${column})`, errors);
  }
  return new Translator(kql, opts.now ?? new Date()).query(code.Syntax);
}
