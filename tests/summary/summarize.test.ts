import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/summary/summarize.ts';
import type { QueryResult } from '../../src/engines/types.ts';
import { benignRows, result, row, scenarios, SEED_COLUMNS, times } from './fixtures.ts';

const opts = { explanation: 'Outbound connections to Public IPs on ports above 1024', title: 'Detect outbound malicious traffic' };

describe('summarize: totals and top lists', () => {
  const rows = [
    row({ DeviceName: 'A', RemoteIP: '1.1.1.1', RemotePort: 8080, InitiatingProcessFileName: 'node.exe', Connections: 50, FirstSeen: '2024-05-03T00:00:00Z', LastSeen: '2024-05-04T00:00:00Z' }),
    row({ DeviceName: 'B', RemoteIP: '1.1.1.1', RemotePort: 8080, InitiatingProcessFileName: 'node.exe', Connections: 30, FirstSeen: '2024-05-01T09:30:00Z', LastSeen: '2024-05-02T00:00:00Z' }),
    row({ DeviceName: 'a', RemoteIP: '2.2.2.2', RemotePort: 3478, InitiatingProcessFileName: 'Teams.exe', Connections: 15, FirstSeen: '2024-05-02T00:00:00Z', LastSeen: '2024-05-07T23:59:00Z' }),
    row({ DeviceName: 'C', RemoteIP: '3.3.3.3', RemotePort: 27015, InitiatingProcessFileName: 'teams.exe', Connections: 5, FirstSeen: '2024-05-05T00:00:00Z', LastSeen: '2024-05-05T01:00:00Z' }),
  ];
  const summary = summarize(result(rows), { ...opts, lookbackText: 'last 7 days' });

  it('adds up connections and counts distinct devices, IPs and processes (names case-insensitively)', () => {
    expect(summary.shape).toBe('connections');
    expect(summary.totals).toEqual({
      groups: 4, connections: 100, devices: 3, remoteIps: 3, processes: 2,
      firstSeen: '2024-05-01T09:30:00Z', lastSeen: '2024-05-07T23:59:00Z',
    });
    expect(summary.lookbackText).toBe('last 7 days');
  });

  it('ranks ports, processes and devices by connections, with their share', () => {
    expect(summary.topPorts).toEqual([
      { value: '8080', connections: 80, share: 0.8 },
      { value: '3478', connections: 15, share: 0.15 },
      { value: '27015', connections: 5, share: 0.05 },
    ]);
    expect(summary.topProcesses.map((p) => [p.value, p.connections])).toEqual([['node.exe', 80], ['Teams.exe', 15], ['teams.exe', 5]]);
    expect(summary.topDevices[0]).toEqual({ value: 'A', connections: 50, share: 0.5 });
  });

  it('keeps at most 5 entries in a top list', () => {
    const many = Array.from({ length: 9 }, (_, i) => row({ DeviceName: 'A', RemoteIP: '1.1.1.1', RemotePort: 2000 + i, InitiatingProcessFileName: 'node.exe', Connections: 10 + i }));
    const top = summarize(result(many), opts).topPorts;
    expect(top.map((t) => t.value)).toEqual(['2008', '2007', '2006', '2005', '2004']);
  });

  it('keeps the engine\'s details of each group', () => {
    const g = summarize(result([scenarios.beaconingPowershell]), opts).groups[0];
    expect(g).toMatchObject({
      DeviceName: 'WS-0006', RemoteIP: '192.0.2.10', RemotePort: 4444, InitiatingProcessFileName: 'powershell.exe', Connections: 48,
      Account: 'CONTOSO\\user', ParentProcessFileName: 'winword.exe',
    });
    expect(g.ProcessCommandLine).toContain('-enc');
    expect(g).not.toHaveProperty('ConnectionTimes');
  });
});

describe('summarize: pages', () => {
  const many = [
    ...Array.from({ length: 45 }, (_, i) => row({ DeviceName: `WS-${i % 7}`, RemoteIP: `20.0.0.${i}`, RemotePort: 8080, InitiatingProcessFileName: 'node.exe', Connections: 100 + i })),
    scenarios.ncat, scenarios.tor,
  ];

  it('puts flagged groups first, then the busiest, and pages through them', () => {
    const p1 = summarize(result(many), opts);
    expect(p1.page).toEqual({ page: 1, pageSize: 10, pageCount: 5, hasMore: true, offset: 0 });
    expect(p1.groups).toHaveLength(10);
    expect(p1.groups.slice(0, 2).map((g) => g.InitiatingProcessFileName).sort()).toEqual(['ncat.exe', 'tor.exe']);
    const rest = p1.groups.slice(2).map((g) => g.Connections);
    expect(rest).toEqual([...rest].sort((a, b) => b - a));
    expect(rest[0]).toBe(144);

    const p2 = summarize(result(many), { ...opts, page: 2 });
    expect(p2.page).toMatchObject({ page: 2, hasMore: true, offset: 10 });
    const key = (g: { RemoteIP: string; DeviceName: string }) => `${g.DeviceName}/${g.RemoteIP}`;
    expect(p2.groups.map(key).filter((k) => p1.groups.map(key).includes(k))).toEqual([]);
    expect(p2.groups[0].Connections).toBeLessThan(p1.groups[9].Connections);
    // Flagged rows are listed in full whatever the page.
    expect(p2.flagged).toHaveLength(2);
  });

  it('covers every group exactly once across pages, and clamps a page past the end', () => {
    const seen = [1, 2, 3, 4, 5].flatMap((page) => summarize(result(many), { ...opts, page, pageSize: 10 }).groups);
    expect(seen).toHaveLength(many.length);
    expect(new Set(seen.map((g) => g.RemoteIP)).size).toBe(many.length);
    const last = summarize(result(many), { ...opts, page: 99 });
    expect(last.page).toMatchObject({ page: 5, hasMore: false });
    expect(last.groups).toHaveLength(7);
  });

  it('reports an empty result as one empty page', () => {
    const empty = summarize(result([]), opts);
    expect(empty.totals).toEqual({ groups: 0, connections: 0, devices: 0, remoteIps: 0, processes: 0 });
    expect(empty.page).toMatchObject({ page: 1, pageCount: 1, hasMore: false });
    expect(empty.groups).toEqual([]);
  });
});

describe('summarize: other result shapes', () => {
  it('reads longs given as strings and dynamic columns given as JSON text', () => {
    const raw: QueryResult = {
      columns: SEED_COLUMNS,
      rows: [{ ...scenarios.beaconingPowershell, Connections: '48', RemotePort: '4444', ConnectionTimes: JSON.stringify(scenarios.beaconingPowershell.ConnectionTimes) }],
      truncated: false,
      elapsedMs: 1,
    };
    const g = summarize(raw, opts).groups[0];
    expect(g.Connections).toBe(48);
    expect(g.RemotePort).toBe(4444);
    expect(g.reasons).toContain('Beaconing every ~5 min (48 connections at regular intervals)');
  });

  it('counts raw events (no Connections column) one per row, with Timestamp as the time range', () => {
    const events: QueryResult = {
      columns: ['Timestamp', 'DeviceName', 'RemoteIP', 'RemotePort', 'InitiatingProcessFileName'].map((name) => ({ name, type: 'string' })),
      rows: times(3, 60_000).map((t, i) => ({ Timestamp: t, DeviceName: 'WS-1', RemoteIP: '8.8.8.8', RemotePort: 1337 + i, InitiatingProcessFileName: 'x.exe' })),
      truncated: true,
      elapsedMs: 1,
    };
    const s = summarize(events, opts);
    expect(s.shape).toBe('connections');
    expect(s.totals).toMatchObject({ groups: 3, connections: 3, firstSeen: '2024-05-01T08:00:00.000Z', lastSeen: '2024-05-01T08:02:00.000Z' });
    expect(s.truncated).toBe(true);
    expect(s.flagged.map((g) => g.RemotePort)).toEqual([1337]);
  });

  it('falls back to a plain table of the first columns when the seed columns are absent', () => {
    const columns = ['Timestamp', 'DeviceName', 'FileName', 'SHA256', 'FolderPath', 'ActionType', 'InitiatingProcessAccountName', 'ReportId']
      .map((name) => ({ name, type: 'string' }));
    const rows = Array.from({ length: 23 }, (_, i) => Object.fromEntries(columns.map((c) => [c.name, `${c.name}-${i}`])));
    const s = summarize({ columns, rows, truncated: false, elapsedMs: 1, partialError: 'PartialError: one shard timed out' }, { ...opts, page: 3 });
    expect(s.shape).toBe('generic');
    expect(s.totals).toEqual({ groups: 23 });
    expect(s.table?.columns).toEqual(['Timestamp', 'DeviceName', 'FileName', 'SHA256', 'FolderPath', 'ActionType']);
    expect(s.table?.rows).toHaveLength(3);
    expect(s.table?.rows[0]).toEqual(Object.fromEntries(s.table!.columns.map((c) => [c, `${c}-20`])));
    expect(s.page).toMatchObject({ page: 3, pageCount: 3, hasMore: false });
    expect(s.flagged).toEqual([]);
    expect(s.partialError).toContain('timed out');
  });

  it('summarizes the benign traffic without flags and with sensible totals', () => {
    const rows = benignRows();
    const s = summarize(result(rows), opts);
    expect(s.totals.connections).toBe(rows.reduce((n, r) => n + r.Connections, 0));
    expect(s.totals.devices).toBe(6);
    expect(s.topPorts[0].value).toBe('443');
  });
});
