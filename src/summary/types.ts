/**
 * One result group of a connection hunt, keyed like the seed skill's columns
 * (summarize ... by DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName).
 */
export interface ConnectionGroup {
  DeviceName: string;
  RemoteIP: string;
  RemotePort?: number;
  InitiatingProcessFileName: string;
  /** The Connections column, or 1 for a result with one row per connection. */
  Connections: number;
  FirstSeen?: string;
  LastSeen?: string;
  ProcessCommandLine?: string;
  Account?: string;
  ParentProcessFileName?: string;
  /** Why this group looks suspicious (see flags.ts); empty when it is not flagged. */
  reasons: string[];
}

export interface TopEntry {
  value: string;
  connections: number;
  /** Share of all connections, 0..1. */
  share: number;
}

export interface Totals {
  /** Result rows (groups). */
  groups: number;
  /** The remaining totals exist only when the result has the columns they come from. */
  connections?: number;
  devices?: number;
  remoteIps?: number;
  processes?: number;
  firstSeen?: string;
  lastSeen?: string;
}

export interface PageInfo {
  /** 1-based. */
  page: number;
  pageSize: number;
  pageCount: number;
  hasMore: boolean;
  /** 0-based index of the page's first group among all groups. */
  offset: number;
}

export interface HuntSummary {
  title: string;
  explanation: string;
  lookbackText?: string;
  /** `connections`: the seed's columns are there; `generic`: any other result, shown as a plain table. */
  shape: 'connections' | 'generic';
  totals: Totals;
  topPorts: TopEntry[];
  topProcesses: TopEntry[];
  topDevices: TopEntry[];
  /** The page's groups, flagged first (shape `connections`). */
  groups: ConnectionGroup[];
  /** The page's rows limited to the first columns (shape `generic`). */
  table?: { columns: string[]; rows: Record<string, unknown>[] };
  /** Every flagged group in the result, not only the page's. */
  flagged: ConnectionGroup[];
  page: PageInfo;
  truncated: boolean;
  partialError?: string;
}
