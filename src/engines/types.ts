/** A column as engines report it: Kusto type names (string, long, int, real, bool, datetime, timespan, dynamic). */
export interface ResultColumn { name: string; type: string }

/** Rows are plain JSON values: datetimes as ISO 8601 strings (UTC, `Z`), numbers as numbers, dynamic as parsed JSON. */
export interface QueryResult {
  columns: ResultColumn[];
  rows: Record<string, unknown>[];
  /** More rows existed than `maxRows`. */
  truncated: boolean;
  elapsedMs: number;
  partialError?: string;
}

export interface RunOptions {
  /** `now()` and `ago()` are computed from this (defaults to the current time). */
  now?: Date;
  signal?: AbortSignal;
  maxRows?: number;
}

export interface QueryEngine {
  readonly name: string;
  run(kql: string, opts?: RunOptions): Promise<QueryResult>;
  close?(): Promise<void>;
}
