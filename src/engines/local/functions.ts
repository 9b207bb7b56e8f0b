// Kusto scalar and aggregate functions -> DuckDB SQL. The translator hands each call its
// argument nodes; these functions read types from the analyzer and build SQL text.

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = any;

/** What a function translation needs from the translator. */
export interface ScalarContext {
  sql(node: Node): string;
  /** Kusto type of a node as the analyzer typed it (string, long, int, real, bool, datetime, timespan, dynamic, guid). */
  type(node: Node): string;
  /** The value of a literal (or a let bound to one), else undefined. */
  constant(node: Node): unknown;
  /** SQL for a list argument: elements of a dynamic literal array, or the listed expressions. */
  listItems(nodes: Node[]): { sql: string; value: unknown }[];
  unsupported(what: string, node: Node): never;
  /** SQL timestamp literal for now(). */
  nowSql: string;
}

export const DUCK_TYPE: Record<string, string> = {
  string: 'VARCHAR', guid: 'VARCHAR', long: 'BIGINT', int: 'INTEGER', real: 'DOUBLE', decimal: 'DOUBLE',
  bool: 'BOOLEAN', datetime: 'TIMESTAMP', timespan: 'INTERVAL', dynamic: 'JSON',
};

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A value of one Kusto type as another, with Kusto's conversion rules (failures give null, strings give ''). */
export function convert(sql: string, from: string, to: string): string {
  if (from === to || (to === 'guid' && from === 'string') || (to === 'string' && from === 'guid')) return sql;
  if (to === 'string') {
    if (from === 'dynamic') return `kql_dynamic_str(${sql})`;
    if (from === 'datetime') return `kql_datetime_str(${sql})`;
    if (from === 'timespan') return `kql_timespan_str(${sql})`;
    return `kql_str(${sql})`;
  }
  if (to === 'dynamic') {
    if (from === 'string') return `kql_parse_json(${sql})`;
    return `CAST(to_json(${jsonable(sql, from)}) AS JSON)`;
  }
  const source = from === 'dynamic' ? `json_extract_string(${sql}, '$')` : sql;
  if ((to === 'long' || to === 'int') && (from === 'real' || from === 'decimal')) {
    return `TRY_CAST(trunc(${source}) AS ${DUCK_TYPE[to]})`;
  }
  if ((to === 'long' || to === 'int' || to === 'real') && (from === 'string' || from === 'dynamic')) {
    // toint("1.5") is 1 in Kusto: parse as a number first.
    return to === 'real' ? `TRY_CAST(${source} AS DOUBLE)` : `TRY_CAST(trunc(TRY_CAST(${source} AS DOUBLE)) AS ${DUCK_TYPE[to]})`;
  }
  if (to === 'bool' && (from === 'string' || from === 'dynamic')) {
    return `CASE lower(${source}) WHEN 'true' THEN true WHEN 'false' THEN false ELSE TRY_CAST(TRY_CAST(${source} AS BIGINT) AS BOOLEAN) END`;
  }
  if (to === 'datetime' && (from === 'string' || from === 'dynamic')) return `TRY_CAST(replace(${source}, 'Z', '') AS TIMESTAMP)`;
  return `TRY_CAST(${source} AS ${DUCK_TYPE[to] ?? 'VARCHAR'})`;
}

/** A value as it should appear inside a dynamic array or bag: datetimes and timespans as Kusto's text. */
export function jsonable(sql: string, type: string): string {
  if (type === 'datetime') return `CASE WHEN ${sql} IS NOT NULL THEN kql_datetime_str(${sql}) END`;
  if (type === 'timespan') return `CASE WHEN ${sql} IS NOT NULL THEN kql_timespan_str(${sql}) END`;
  return sql;
}

/** Cast numbers to the exact width Kusto reports (DuckDB's sum of INTEGER is HUGEINT, etc.). */
export function castTo(sql: string, type: string): string {
  if (type === 'long' || type === 'int' || type === 'real') return `CAST(${sql} AS ${DUCK_TYPE[type]})`;
  return sql;
}

const TIME_PARTS: Record<string, string> = {
  year: 'years', quarter: 'quarter', month: 'months', week: 'weeks', day: 'days', hour: 'hours',
  minute: 'minutes', second: 'seconds', millisecond: 'milliseconds', microsecond: 'microseconds',
};

/** Kusto format_datetime specifiers -> strftime. */
function strftimeFormat(format: string): string {
  const tokens: [RegExp, string][] = [
    [/^yyyy/, '%Y'], [/^yy/, '%y'], [/^MM/, '%m'], [/^M/, '%-m'], [/^dd/, '%d'], [/^d/, '%-d'],
    [/^HH/, '%H'], [/^H/, '%-H'], [/^hh/, '%I'], [/^h/, '%-I'], [/^mm/, '%M'], [/^m/, '%-M'],
    [/^ss/, '%S'], [/^s/, '%-S'], [/^fffffff/, '%f0'], [/^ffffff/, '%f'], [/^fff/, '%g'], [/^tt/, '%p'],
  ];
  let out = '';
  let rest = format;
  outer: while (rest.length) {
    for (const [re, rep] of tokens) {
      const m = re.exec(rest);
      if (m) { out += rep; rest = rest.slice(m[0].length); continue outer; }
    }
    out += rest[0] === '%' ? '%%' : rest[0];
    rest = rest.slice(1);
  }
  return out;
}

function timespanMicros(cx: ScalarContext, node: Node): string {
  return `kql_timespan_us(${cx.sql(node)})`;
}

/** parse_url: the parts Kusto returns, from one RFC 3986 regex. */
function parseUrl(url: string): string {
  const re = String.raw`^([A-Za-z][A-Za-z0-9+.-]*)://(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?#]*)(?::([0-9]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$`;
  const part = (i: number) => `regexp_extract(${url}, ${sqlString(re)}, ${i})`;
  const pairs = `list_transform(list_filter(string_split(${part(7)}, '&'), p -> p <> ''), p -> {'k': split_part(p, '=', 1), 'v': url_decode(substr(p, length(split_part(p, '=', 1)) + 2))})`;
  const query = `CAST(to_json(map_from_entries(${pairs})) AS JSON)`;
  return `CASE WHEN regexp_matches(${url}, ${sqlString(re)}) THEN json_object('Scheme', ${part(1)}, 'Host', ${part(4)}, 'Port', ${part(5)}, 'Path', ${part(6)},
    'Username', ${part(2)}, 'Password', ${part(3)}, 'Query Parameters', ${query}, 'Fragment', ${part(8)}) ELSE CAST('{}' AS JSON) END`;
}

/** A Kusto scalar function call as SQL; unknown functions throw UnsupportedKqlError. */
export function scalarFunction(name: string, node: Node, args: Node[], cx: ScalarContext): string {
  const a = (i: number) => cx.sql(args[i]);
  const t = (i: number) => cx.type(args[i]);
  const resultType = cx.type(node);
  const str = (i: number) => convert(a(i), t(i), 'string');
  const literalString = (i: number): string => {
    const v = cx.constant(args[i]);
    if (typeof v !== 'string') cx.unsupported(`${name}() with a non-constant argument ${i + 1}`, args[i]);
    return v;
  };
  switch (name) {
    case 'ago': return `(${cx.nowSql} - ${a(0)})`;
    case 'now': return args.length ? `(${cx.nowSql} + ${a(0)})` : cx.nowSql;
    case 'todatetime': case 'datetime': return convert(a(0), t(0), 'datetime');
    case 'tostring': return convert(a(0), t(0), 'string');
    case 'toint': return convert(a(0), t(0), 'int');
    case 'tolong': return convert(a(0), t(0), 'long');
    case 'todouble': case 'toreal': case 'todecimal': return convert(a(0), t(0), 'real');
    case 'tobool': case 'toboolean': return convert(a(0), t(0), 'bool');
    case 'toguid': return convert(a(0), t(0), 'string');
    case 'parse_json': case 'todynamic': case 'toobject': return convert(a(0), t(0), 'dynamic');
    case 'strlen': return `CAST(length(${str(0)}) AS BIGINT)`;
    case 'tolower': return `lower(${str(0)})`;
    case 'toupper': return `upper(${str(0)})`;
    case 'reverse': return `reverse(${str(0)})`;
    case 'substring': {
      // Kusto counts from 0; DuckDB from 1.
      const start = `greatest(CAST(${a(1)} AS BIGINT), 0) + 1`;
      return args.length > 2 ? `substr(${str(0)}, ${start}, greatest(CAST(${a(2)} AS BIGINT), 0))` : `substr(${str(0)}, ${start})`;
    }
    case 'strcat': return `concat(${args.map((_, i) => str(i)).join(', ')})`;
    case 'strcat_delim': return `concat_ws(${str(0)}, ${args.slice(1).map((_, i) => str(i + 1)).join(', ')})`;
    case 'split': {
      const parts = `string_split(${str(0)}, ${str(1)})`;
      if (args.length > 2) return `CAST(to_json(list_filter([${parts}[CAST(${a(2)} AS BIGINT) + 1]], x -> x IS NOT NULL)) AS JSON)`;
      return `CAST(to_json(${parts}) AS JSON)`;
    }
    case 'replace_string': return `replace(${str(0)}, ${str(1)}, ${str(2)})`;
    case 'replace_regex': return `regexp_replace(${str(0)}, ${str(1)}, ${str(2)}, 'g')`;
    case 'replace': return `regexp_replace(${str(2)}, ${str(0)}, ${str(1)}, 'g')`;
    case 'trim': return `regexp_replace(regexp_replace(${str(1)}, '^(?:' || ${str(0)} || ')+', ''), '(?:' || ${str(0)} || ')+$', '')`;
    case 'trim_start': return `regexp_replace(${str(1)}, '^(?:' || ${str(0)} || ')+', '')`;
    case 'trim_end': return `regexp_replace(${str(1)}, '(?:' || ${str(0)} || ')+$', '')`;
    case 'extract': {
      const value = `regexp_extract(${str(2)}, ${str(0)}, CAST(${a(1)} AS INTEGER))`;
      return resultType === 'string' ? value : convert(`nullif(${value}, '')`, 'string', resultType);
    }
    case 'indexof': return `CAST(strpos(${str(0)}, ${str(1)}) - 1 AS BIGINT)`;
    case 'countof': return `CAST(length(${str(0)}) - length(replace(${str(0)}, ${str(1)}, '')) AS BIGINT) // greatest(length(${str(1)}), 1)`;
    case 'url_decode': return `url_decode(${str(0)})`;
    case 'url_encode': return `url_encode(${str(0)})`;
    case 'base64_decode_tostring': return `decode(from_base64(${str(0)}))`;
    case 'base64_encode_tostring': return `to_base64(encode(${str(0)}))`;
    case 'isempty': return t(0) === 'string' ? `(${a(0)} IS NULL OR ${a(0)} = '')` : `(${a(0)} IS NULL)`;
    case 'isnotempty': return t(0) === 'string' ? `(${a(0)} IS NOT NULL AND ${a(0)} <> '')` : `(${a(0)} IS NOT NULL)`;
    case 'isnull': return `(${a(0)} IS NULL)`;
    case 'isnotnull': return `(${a(0)} IS NOT NULL)`;
    case 'not': return `(NOT ${a(0)})`;
    case 'iff': case 'iif': return `(CASE WHEN ${a(0)} THEN ${convert(a(1), t(1), resultType)} ELSE ${convert(a(2), t(2), resultType)} END)`;
    case 'case': {
      const parts: string[] = [];
      for (let i = 0; i + 1 < args.length; i += 2) parts.push(`WHEN ${a(i)} THEN ${convert(a(i + 1), t(i + 1), resultType)}`);
      return `(CASE ${parts.join(' ')} ELSE ${convert(a(args.length - 1), t(args.length - 1), resultType)} END)`;
    }
    case 'coalesce':
      // Kusto's coalesce skips empty strings too.
      if (resultType === 'string') return `coalesce(${args.map((_, i) => `nullif(${str(i)}, '')`).join(', ')}, '')`;
      return `coalesce(${args.map((_, i) => convert(a(i), t(i), resultType)).join(', ')})`;
    case 'bin': case 'floor': {
      if (t(0) === 'datetime') return `kql_bin_datetime(${a(0)}, ${timespanMicros(cx, args[1])})`;
      if (t(0) === 'timespan') return `kql_bin_timespan(${a(0)}, ${timespanMicros(cx, args[1])})`;
      return castTo(`floor(${a(0)} / ${a(1)}) * ${a(1)}`, resultType);
    }
    case 'round': return args.length > 1 ? `round(${a(0)}, CAST(${a(1)} AS INTEGER))` : `round(${a(0)})`;
    case 'ceiling': return `ceiling(${a(0)})`;
    case 'abs': return `abs(${a(0)})`;
    case 'sqrt': return `sqrt(${a(0)})`;
    case 'exp': return `exp(${a(0)})`;
    case 'log': return `ln(${a(0)})`;
    case 'log10': return `log10(${a(0)})`;
    case 'log2': return `log2(${a(0)})`;
    case 'pow': return `pow(${a(0)}, ${a(1)})`;
    case 'min_of': return `least(${args.map((_, i) => a(i)).join(', ')})`;
    case 'max_of': return `greatest(${args.map((_, i) => a(i)).join(', ')})`;
    case 'array_length': return `kql_array_length(${a(0)})`;
    case 'pack_array': return `CAST(json_array(${args.map((_, i) => jsonable(a(i), t(i))).join(', ')}) AS JSON)`;
    case 'pack': case 'bag_pack': return `CAST(json_object(${args.map((_, i) => jsonable(a(i), t(i))).join(', ')}) AS JSON)`;
    case 'bag_keys': return `CAST(to_json(json_keys(${a(0)})) AS JSON)`;
    case 'set_has_element': return `list_contains(list_transform(kql_json_list(${a(0)}), e -> json_extract_string(e, '$')), ${convert(a(1), t(1), 'string')})`;
    case 'parse_url': return parseUrl(str(0));
    case 'parse_ipv4': return `kql_parse_ipv4(${str(0)})`;
    case 'ipv4_is_private': return `kql_ipv4_is_private(${str(0)})`;
    case 'ipv4_is_in_range': return `kql_ipv4_is_in_range(${str(0)}, ${str(1)})`;
    case 'ipv4_is_match': return `kql_ipv4_is_match(${str(0)}, ${str(1)}, ${args.length > 2 ? `CAST(${a(2)} AS BIGINT)` : '32'})`;
    case 'ipv4_is_in_any_range': {
      const ranges = cx.listItems(args.slice(1));
      if (!ranges.length) return 'false';
      return `(${ranges.map((r) => `coalesce(kql_ipv4_is_in_range(${str(0)}, ${r.sql}), false)`).join(' OR ')})`;
    }
    case 'format_datetime': return `strftime(${a(0)}, ${sqlString(strftimeFormat(literalString(1)))})`;
    case 'dayofweek': return `to_days(CAST(dayofweek(${a(0)}) AS INTEGER))`;
    case 'dayofmonth': return `CAST(day(${a(0)}) AS INTEGER)`;
    case 'dayofyear': return `CAST(dayofyear(${a(0)}) AS INTEGER)`;
    case 'hourofday': return `CAST(hour(${a(0)}) AS INTEGER)`;
    case 'getmonth': case 'monthofyear': return `CAST(month(${a(0)}) AS INTEGER)`;
    case 'getyear': return `CAST(year(${a(0)}) AS INTEGER)`;
    case 'startofday': case 'startofmonth': case 'startofyear': case 'startofweek': case 'endofday': {
      if (args.length > 1) cx.unsupported(`${name}() with an offset`, args[1]);
      if (name === 'startofweek') return `CAST(CAST(${a(0)} AS DATE) - CAST(dayofweek(${a(0)}) AS INTEGER) AS TIMESTAMP)`;
      if (name === 'endofday') return `(date_trunc('day', ${a(0)}) + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND)`;
      return `date_trunc('${name.slice('startof'.length)}', ${a(0)})`;
    }
    case 'datetime_add': {
      const part = TIME_PARTS[literalString(0).toLowerCase()];
      if (!part || part === 'quarter') cx.unsupported(`datetime_add() with period ${literalString(0)}`, args[0]);
      return `(${a(2)} + to_${part}(CAST(${a(1)} AS ${part === 'seconds' || part === 'milliseconds' ? 'DOUBLE' : 'INTEGER'})))`;
    }
    case 'datetime_diff': {
      const part = literalString(0).toLowerCase();
      if (!TIME_PARTS[part]) cx.unsupported(`datetime_diff() with period ${part}`, args[0]);
      return `CAST(date_diff('${part}', ${a(2)}, ${a(1)}) AS BIGINT)`;
    }
    case 'unixtime_seconds_todatetime': return `make_timestamp(CAST(${a(0)} * 1000000 AS BIGINT))`;
    case 'unixtime_milliseconds_todatetime': return `make_timestamp(CAST(${a(0)} * 1000 AS BIGINT))`;
    default:
      return cx.unsupported(`the function ${name}()`, node);
  }
}

/** Aggregates that give one column. `p` is an optional predicate for the *if forms. */
export function aggregateFunction(name: string, node: Node, args: Node[], cx: ScalarContext): string {
  const a = (i: number) => cx.sql(args[i]);
  // Kusto's make_list / make_set skip nulls: filter on the argument itself, so the element (datetimes as
  // Kusto's text) is only computed for the rows kept.
  const list = (distinct: boolean, arg: Node, where: string | undefined, max: Node | undefined) => {
    const raw = cx.sql(arg);
    const type = cx.type(arg);
    const value = type === 'datetime' ? `kql_datetime_str(${raw})` : type === 'timespan' ? `kql_timespan_str(${raw})` : raw;
    const filter = `FILTER (WHERE ${raw} IS NOT NULL${where ? ` AND (${where})` : ''})`;
    let items = `coalesce(list(${distinct ? 'DISTINCT ' : ''}${value}) ${filter}, [])`;
    if (max) items = `list_slice(${items}, 1, CAST(${cx.sql(max)} AS BIGINT))`;
    return `CAST(to_json(${items}) AS JSON)`;
  };
  switch (name) {
    case 'count': return 'count(*)';
    case 'countif': return `count(*) FILTER (WHERE ${a(0)})`;
    case 'dcount': case 'count_distinct': return `count(DISTINCT ${a(0)})`;
    case 'dcountif': case 'count_distinctif': return `count(DISTINCT ${a(0)}) FILTER (WHERE ${a(1)})`;
    case 'sum': return `sum(${a(0)})`;
    case 'sumif': return `sum(${a(0)}) FILTER (WHERE ${a(1)})`;
    case 'avg': return `avg(${a(0)})`;
    case 'avgif': return `avg(${a(0)}) FILTER (WHERE ${a(1)})`;
    case 'min': return `min(${a(0)})`;
    case 'minif': return `min(${a(0)}) FILTER (WHERE ${a(1)})`;
    case 'max': return `max(${a(0)})`;
    case 'maxif': return `max(${a(0)}) FILTER (WHERE ${a(1)})`;
    case 'stdev': return `stddev_samp(${a(0)})`;
    case 'stdevif': return `stddev_samp(${a(0)}) FILTER (WHERE ${a(1)})`;
    case 'stdevp': return `stddev_pop(${a(0)})`;
    case 'variance': return `var_samp(${a(0)})`;
    case 'varianceif': return `var_samp(${a(0)}) FILTER (WHERE ${a(1)})`;
    case 'variancep': return `var_pop(${a(0)})`;
    case 'take_any': case 'any': return `any_value(${a(0)})`;
    case 'take_anyif': case 'anyif': return `any_value(${a(0)}) FILTER (WHERE ${a(1)})`;
    case 'make_set': return list(true, args[0], undefined, args[1]);
    case 'make_set_if': return list(true, args[0], a(1), args[2]);
    case 'make_list': return list(false, args[0], undefined, args[1]);
    case 'make_list_if': return list(false, args[0], a(1), args[2]);
    case 'percentile': return `quantile_disc(${a(0)}, ${a(1)} / 100.0)`;
    default:
      return cx.unsupported(`the aggregate ${name}()`, node);
  }
}

export const AGGREGATES = new Set([
  'count', 'countif', 'dcount', 'count_distinct', 'dcountif', 'count_distinctif', 'sum', 'sumif', 'avg', 'avgif', 'min', 'minif',
  'max', 'maxif', 'stdev', 'stdevif', 'stdevp', 'variance', 'varianceif', 'variancep', 'take_any', 'any', 'take_anyif', 'anyif',
  'make_set', 'make_set_if', 'make_list', 'make_list_if', 'percentile', 'percentiles', 'arg_max', 'arg_min',
]);
