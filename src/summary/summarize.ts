import type { QueryResult } from '../engines/types.ts';
import { flagReasons, type FlagInput } from './flags.ts';
import type { ConnectionGroup, HuntSummary, PageInfo, TopEntry, Totals } from './types.ts';

export interface SummarizeOptions {
  /** The one-line reading of the hunt ("Outbound connections to Public IPs on ports above 1024"). */
  explanation: string;
  title: string;
  /** 1-based; past the last page means the last page. */
  page?: number;
  pageSize?: number;
  lookbackText?: string;
}

export const DEFAULT_PAGE_SIZE = 10;
const TOP_COUNT = 5;
/** A generic result shows this many of its first columns. */
const GENERIC_COLUMNS = 6;
/** The summarize keys of the seed skill: with them a result is a connection hunt. */
const KEY_COLUMNS = ['DeviceName', 'RemoteIP', 'RemotePort', 'InitiatingProcessFileName'];

/** Totals, top lists, flags and one page of groups: plain data for the card and the CLI. */
export function summarize(result: QueryResult, opts: SummarizeOptions): HuntSummary {
  const names = new Set(result.columns.map((c) => c.name));
  const pageSize = Math.max(1, Math.floor(opts.pageSize ?? DEFAULT_PAGE_SIZE));
  const base = {
    title: opts.title,
    explanation: opts.explanation,
    ...(opts.lookbackText ? { lookbackText: opts.lookbackText } : {}),
    truncated: result.truncated,
    ...(result.partialError ? { partialError: result.partialError } : {}),
  };

  if (!KEY_COLUMNS.every((c) => names.has(c))) {
    const page = pageOf(result.rows.length, opts.page, pageSize);
    const columns = result.columns.slice(0, GENERIC_COLUMNS).map((c) => c.name);
    const rows = result.rows.slice(page.offset, page.offset + pageSize)
      .map((row) => Object.fromEntries(columns.map((c) => [c, row[c]])));
    return {
      ...base, shape: 'generic', totals: { groups: result.rows.length }, topPorts: [], topProcesses: [], topDevices: [],
      groups: [], table: { columns, rows }, flagged: [], page,
    };
  }

  const inputs = result.rows.map(toFlagInput);
  const reasons = flagReasons(inputs);
  const all: ConnectionGroup[] = inputs.map(({ ConnectionTimes: _times, ...g }, i) => ({ ...g, reasons: reasons[i] }));
  // Flagged first, then by connections; the engine's order breaks ties (sort is stable).
  const ordered = [...all].sort((a, b) => Number(b.reasons.length > 0) - Number(a.reasons.length > 0) || b.Connections - a.Connections);
  const page = pageOf(ordered.length, opts.page, pageSize);
  const connections = all.reduce((n, g) => n + g.Connections, 0);

  return {
    ...base,
    shape: 'connections',
    totals: totalsOf(all, connections),
    topPorts: top(all, (g) => (g.RemotePort === undefined ? undefined : String(g.RemotePort)), connections),
    topProcesses: top(all, (g) => g.InitiatingProcessFileName || undefined, connections),
    topDevices: top(all, (g) => g.DeviceName || undefined, connections),
    groups: ordered.slice(page.offset, page.offset + pageSize),
    flagged: ordered.filter((g) => g.reasons.length > 0),
    page,
  };
}

function pageOf(total: number, requested: number | undefined, pageSize: number): PageInfo {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(requested ?? 1)), pageCount);
  return { page, pageSize, pageCount, hasMore: page < pageCount, offset: (page - 1) * pageSize };
}

function totalsOf(groups: ConnectionGroup[], connections: number): Totals {
  const distinct = (f: (g: ConnectionGroup) => string) => new Set(groups.map(f).filter((v) => v !== '')).size;
  const firsts = groups.map((g) => g.FirstSeen).filter((t): t is string => t !== undefined);
  const lasts = groups.map((g) => g.LastSeen).filter((t): t is string => t !== undefined);
  return {
    groups: groups.length,
    connections,
    devices: distinct((g) => g.DeviceName.toLowerCase()),
    remoteIps: distinct((g) => g.RemoteIP),
    processes: distinct((g) => g.InitiatingProcessFileName.toLowerCase()),
    ...(firsts.length ? { firstSeen: extreme(firsts, -1) } : {}),
    ...(lasts.length ? { lastSeen: extreme(lasts, 1) } : {}),
  };
}

/** The earliest (-1) or latest (1) of ISO times. */
function extreme(times: string[], direction: 1 | -1): string {
  return times.reduce((best, t) => ((Date.parse(t) - Date.parse(best)) * direction > 0 ? t : best));
}

function top(groups: ConnectionGroup[], key: (g: ConnectionGroup) => string | undefined, total: number): TopEntry[] {
  const counts = new Map<string, number>();
  for (const g of groups) {
    const k = key(g);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + g.Connections);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, TOP_COUNT)
    .map(([value, connections]) => ({ value, connections, share: total > 0 ? connections / total : 0 }));
}

/** Engines differ in detail (DuckDB gives longs as strings, some engines give dynamic as JSON text): read leniently. */
function toFlagInput(row: Record<string, unknown>): FlagInput {
  const port = numberOf(row.RemotePort);
  const timestamp = timeOf(row.Timestamp);
  const first = timeOf(row.FirstSeen) ?? timestamp;
  const last = timeOf(row.LastSeen) ?? timestamp;
  return {
    DeviceName: textOf(row.DeviceName),
    RemoteIP: textOf(row.RemoteIP),
    ...(port === undefined ? {} : { RemotePort: port }),
    InitiatingProcessFileName: textOf(row.InitiatingProcessFileName),
    Connections: 'Connections' in row ? numberOf(row.Connections) ?? 0 : 1,
    ...(first ? { FirstSeen: first } : {}),
    ...(last ? { LastSeen: last } : {}),
    ...optionalText(row, 'ProcessCommandLine'),
    ...optionalText(row, 'Account'),
    ...optionalText(row, 'ParentProcessFileName'),
    ConnectionTimes: listOf(row.ConnectionTimes).map(timeOf).filter((t): t is string => t !== undefined),
  };
}

function textOf(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

function numberOf(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function timeOf(v: unknown): string | undefined {
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : undefined;
}

function listOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string' && v.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(v);
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }
  return [];
}

function optionalText(row: Record<string, unknown>, key: 'ProcessCommandLine' | 'Account' | 'ParentProcessFileName'): Partial<ConnectionGroup> {
  const v = textOf(row[key]);
  // The seed builds Account as strcat(domain, "\\", name): a lone backslash means no account.
  return v && v !== '\\' ? { [key]: v } : {};
}
