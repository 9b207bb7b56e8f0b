/**
 * Hand-made results shaped like the seed skill's output: a company's everyday traffic, and one malicious
 * scenario per flag rule. The card and bot tests reuse them.
 */
import type { QueryResult } from '../../src/engines/types.ts';

export const SEED_COLUMNS = [
  ['DeviceName', 'string'], ['RemoteIP', 'string'], ['RemotePort', 'int'], ['InitiatingProcessFileName', 'string'],
  ['Connections', 'long'], ['FirstSeen', 'datetime'], ['LastSeen', 'datetime'], ['ProcessCommandLine', 'string'],
  ['Account', 'string'], ['ParentProcessFileName', 'string'], ['ActionTypes', 'dynamic'], ['ConnectionTimes', 'dynamic'],
].map(([name, type]) => ({ name, type }));

export type SeedRow = {
  DeviceName: string; RemoteIP: string; RemotePort: number; InitiatingProcessFileName: string;
  Connections: number; FirstSeen: string; LastSeen: string; ProcessCommandLine: string; Account: string;
  ParentProcessFileName: string; ActionTypes: string[]; ConnectionTimes: string[];
};

const START = Date.parse('2024-05-01T08:00:00Z');
const MIN = 60_000;

/** Connection times from START + offset, every `gapMs` with a relative jitter that repeats (-j, +j, 0, ...). */
export function times(count: number, gapMs: number, opts: { offsetMs?: number; jitter?: number } = {}): string[] {
  const jitter = opts.jitter ?? 0;
  let t = START + (opts.offsetMs ?? 0);
  return Array.from({ length: count }, (_, i) => {
    if (i > 0) t += gapMs * (1 + jitter * [-1, 1, 0][i % 3]);
    return new Date(t).toISOString();
  });
}

/** Irregular times: gaps from 1 to 120 minutes in a fixed, uneven order. */
export function irregularTimes(count: number): string[] {
  const gaps = [1, 57, 3, 120, 9, 33, 2, 75, 14, 5];
  let t = START;
  return Array.from({ length: count }, (_, i) => {
    if (i > 0) t += gaps[i % gaps.length] * MIN;
    return new Date(t).toISOString();
  });
}

/** One result row; the connection count, first and last seen follow from the times unless given. */
export function row(r: Partial<SeedRow> & Pick<SeedRow, 'DeviceName' | 'RemoteIP' | 'RemotePort' | 'InitiatingProcessFileName'>): SeedRow {
  const ts = r.ConnectionTimes ?? irregularTimes(8);
  return {
    Connections: ts.length,
    FirstSeen: ts[0],
    LastSeen: ts[ts.length - 1],
    ProcessCommandLine: r.InitiatingProcessFileName,
    Account: 'CONTOSO\\user',
    ParentProcessFileName: 'explorer.exe',
    ActionTypes: ['ConnectionSuccess'],
    ...r,
    ConnectionTimes: ts.slice(0, 200),
  };
}

export function result(rows: SeedRow[], extra: Partial<QueryResult> = {}): QueryResult {
  // The engine orders by Connections desc.
  return { columns: SEED_COLUMNS, rows: [...rows].sort((a, b) => b.Connections - a.Connections), truncated: false, elapsedMs: 5, ...extra };
}

export const DEVICES = ['WS-0001', 'WS-0002', 'WS-0003', 'WS-0004', 'WS-0005', 'WS-0006'];

/**
 * Everyday company traffic on 8 devices: browsers, Teams, OneDrive to 443; Teams media 3478-3481; Zoom 8801;
 * Spotify 4070; Steam 27015+; dev tools to 8080. It includes what looks odd out of context: Teams heartbeats
 * every 5 minutes, a OneDrive sync burst, and destinations that only one device talks to.
 */
export function benignRows(): SeedRow[] {
  const rows: SeedRow[] = [];
  DEVICES.forEach((device, d) => {
    rows.push(
      row({ DeviceName: device, RemoteIP: '13.107.42.14', RemotePort: 443, InitiatingProcessFileName: 'msedge.exe', ConnectionTimes: irregularTimes(40 + d) }),
      row({ DeviceName: device, RemoteIP: `20.190.${d}.7`, RemotePort: 443, InitiatingProcessFileName: 'chrome.exe', ConnectionTimes: irregularTimes(12) }),
      row({ DeviceName: device, RemoteIP: '52.112.0.10', RemotePort: 443, InitiatingProcessFileName: 'Teams.exe', ConnectionTimes: times(60, 5 * MIN) }),
      row({ DeviceName: device, RemoteIP: '52.113.194.132', RemotePort: 3478 + (d % 4), InitiatingProcessFileName: 'ms-teams.exe', ConnectionTimes: times(20, 30 * MIN, { jitter: 0.05 }) }),
      row({ DeviceName: device, RemoteIP: '13.107.6.171', RemotePort: 443, InitiatingProcessFileName: 'OneDrive.exe', ConnectionTimes: times(150, 1000) }),
    );
  });
  rows.push(
    row({ DeviceName: 'WS-0001', RemoteIP: '170.114.52.2', RemotePort: 8801, InitiatingProcessFileName: 'Zoom.exe', ConnectionTimes: times(30, 10 * MIN) }),
    row({ DeviceName: 'WS-0002', RemoteIP: '35.186.224.25', RemotePort: 4070, InitiatingProcessFileName: 'Spotify.exe', ConnectionTimes: times(24, 15 * MIN) }),
    row({ DeviceName: 'WS-0003', RemoteIP: '162.254.193.6', RemotePort: 27015, InitiatingProcessFileName: 'steam.exe' }),
    row({ DeviceName: 'WS-0003', RemoteIP: '162.254.193.7', RemotePort: 27036, InitiatingProcessFileName: 'steamwebhelper.exe' }),
    row({ DeviceName: 'WS-0004', RemoteIP: '40.76.4.15', RemotePort: 8080, InitiatingProcessFileName: 'node.exe', ConnectionTimes: times(12, 2 * MIN) }),
    row({ DeviceName: 'WS-0005', RemoteIP: '40.76.4.16', RemotePort: 8080, InitiatingProcessFileName: 'Code.exe' }),
    row({ DeviceName: 'WS-0006', RemoteIP: '104.18.32.7', RemotePort: 8443, InitiatingProcessFileName: 'chrome.exe' }),
  );
  return rows;
}

/** The malicious scenarios, each a row on one device; added to the benign rows they form a realistic result. */
export const scenarios = {
  beaconingPowershell: row({
    DeviceName: 'WS-0006', RemoteIP: '192.0.2.10', RemotePort: 4444, InitiatingProcessFileName: 'powershell.exe',
    ConnectionTimes: times(48, 5 * MIN, { jitter: 0.1 }), ParentProcessFileName: 'winword.exe',
    ProcessCommandLine: 'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
  }),
  xmrig: row({ DeviceName: 'WS-0002', RemoteIP: '198.51.100.20', RemotePort: 3333, InitiatingProcessFileName: 'xmrig.exe' }),
  tor: row({ DeviceName: 'WS-0003', RemoteIP: '203.0.113.5', RemotePort: 9001, InitiatingProcessFileName: 'tor.exe' }),
  mshta: row({ DeviceName: 'WS-0004', RemoteIP: '203.0.113.80', RemotePort: 49152, InitiatingProcessFileName: 'mshta.exe', ConnectionTimes: irregularTimes(3) }),
  ncat: row({ DeviceName: 'WS-0005', RemoteIP: '198.51.100.66', RemotePort: 31337, InitiatingProcessFileName: 'ncat.exe', ConnectionTimes: irregularTimes(2) }),
  /** 600 connections in 6 minutes from an unknown binary to a port no list knows. */
  exfilBurst: row({
    DeviceName: 'WS-0001', RemoteIP: '198.51.100.99', RemotePort: 8081, InitiatingProcessFileName: 'svc-sync.exe',
    Connections: 600, FirstSeen: '2024-05-02T01:00:00Z', LastSeen: '2024-05-02T01:06:00Z', ConnectionTimes: irregularTimes(3),
  }),
};
