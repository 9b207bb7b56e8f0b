import { isIP } from 'node:net';
import { InvalidParameterError } from '../errors.ts';
import type { InputType, ParamValue, SkillInput } from './types.ts';

// Each input type has one parser (user value -> normalized value, or a refusal naming the input)
// and one encoder (normalized value -> a single KQL literal). User text never reaches KQL any other way.

const MAX_TEXT = 512;
const MAX_LIST = 200;
const TIMESPAN = /^(\d{1,6})(d|h|m|s|ms)$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;

/** The length of a timespan in this project's form ("24h", "7d"), or undefined for anything else. */
export function timespanMs(value: string): number | undefined {
  const m = TIMESPAN.exec(value.trim().toLowerCase());
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

/** A KQL double-quoted string literal; characters KQL cannot escape are refused. */
export function kqlString(value: string): string {
  return `"${value.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!)}"`;
}

function fail(input: SkillInput, what: string): never {
  throw new InvalidParameterError(input.name, `${input.name} ${what}`);
}

function parseText(input: SkillInput, raw: unknown): string {
  if (typeof raw !== 'string' && typeof raw !== 'number') fail(input, 'must be text.');
  const value = String(raw).trim();
  if (value === '') fail(input, 'must not be empty.');
  if (value.length > MAX_TEXT) fail(input, `is too long (at most ${MAX_TEXT} characters).`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) fail(input, 'contains a control character.');
  if (input.allowedValues) {
    const match = input.allowedValues.find((v) => v.toLowerCase() === value.toLowerCase());
    if (!match) fail(input, `must be one of ${input.allowedValues.join(', ')} (got "${value}").`);
    return match;
  }
  return value;
}

function parseInt_(input: SkillInput, raw: unknown): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) fail(input, `must be a whole number (got ${JSON.stringify(raw)}).`);
  const lo = input.min ?? Number.MIN_SAFE_INTEGER;
  const hi = input.max ?? Number.MAX_SAFE_INTEGER;
  if (n < lo || n > hi) fail(input, `must be between ${lo} and ${hi} (got ${n}).`);
  return n;
}

function parseTimespan(input: SkillInput, raw: unknown): string {
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  const m = TIMESPAN.exec(value);
  if (!m || Number(m[1]) === 0) fail(input, `must be a timespan such as 30m, 24h or 7d (got ${JSON.stringify(raw)}).`);
  return value;
}

function parseDatetime(input: SkillInput, raw: unknown): string {
  const value = typeof raw === 'string' ? raw.trim() : '';
  const time = ISO_DATETIME.test(value) ? Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) || value.length <= 10 ? value : `${value}Z`) : NaN;
  if (Number.isNaN(time)) fail(input, `must be an ISO 8601 date or time such as 2026-11-01 or 2026-11-01T08:00:00Z (got ${JSON.stringify(raw)}).`);
  return new Date(time).toISOString();
}

function parseIp(input: SkillInput, raw: unknown): string {
  const value = typeof raw === 'string' ? raw.trim() : '';
  const [address, prefix, ...rest] = value.split('/');
  const version = isIP(address ?? '');
  // KQL's range functions take IPv4 CIDRs; an IPv6 address is matched exactly.
  const prefixOk = prefix === undefined || (version === 4 && /^\d{1,2}$/.test(prefix) && Number(prefix) <= 32);
  if (!version || !prefixOk || rest.length > 0) fail(input, `must be an IP address or an IPv4 CIDR range such as 203.0.113.7 or 198.51.100.0/24 (got ${JSON.stringify(raw)}).`);
  return value.toLowerCase();
}

function asList(input: SkillInput, raw: unknown): unknown[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : typeof raw === 'number' ? [raw] : fail(input, 'must be a list.');
  const items = list.filter((v) => !(typeof v === 'string' && v.trim() === ''));
  if (items.length > MAX_LIST) fail(input, `has too many values (at most ${MAX_LIST}).`);
  return items;
}

const dedupe = <T>(values: T[]): T[] => [...new Set(values)];

const PARSERS: Record<InputType, (input: SkillInput, raw: unknown) => ParamValue> = {
  string: parseText,
  'string[]': (input, raw) => dedupe(asList(input, raw).map((v) => parseText(input, v))),
  int: parseInt_,
  'int[]': (input, raw) => dedupe(asList(input, raw).map((v) => parseInt_(input, v))),
  timespan: parseTimespan,
  datetime: parseDatetime,
  ip: parseIp,
  'ip[]': (input, raw) => dedupe(asList(input, raw).map((v) => parseIp(input, v))),
};

/** Checks a value against its input's type and bounds; returns it normalized. An empty list counts as no value. */
export function parseValue(input: SkillInput, raw: unknown): ParamValue | undefined {
  const value = PARSERS[input.type](input, raw);
  return Array.isArray(value) && value.length === 0 ? undefined : value;
}

/** The one KQL literal for a normalized value. */
export function toKqlLiteral(type: InputType, value: ParamValue): string {
  switch (type) {
    case 'int': return String(value);
    case 'timespan': return String(value);
    case 'datetime': return `datetime(${String(value)})`;
    case 'string': case 'ip': return kqlString(String(value));
    case 'int[]': return `dynamic([${(value as number[]).join(', ')}])`;
    case 'string[]': case 'ip[]': return `dynamic([${(value as string[]).map(kqlString).join(', ')}])`;
  }
}
