import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/sample/index.ts';
import { hunt } from './helpers.ts';

const NOW = '2026-12-04T12:00:00.000Z';
let data: string;
let truth: { scenarios: { scenario: string; device: string; process: string; remoteIp: string; remotePort: number }[] };

beforeAll(async () => {
  data = path.join(mkdtempSync(path.join(tmpdir(), 'cli-data-')), 'sample');
  await generateSample({ outDir: data, seed: 7, now: new Date(NOW), events: 20_000, devices: 30 });
  truth = JSON.parse(readFileSync(path.join(data, 'ground-truth.json'), 'utf8'));
});

describe('hunt ask / query on the local engine', () => {
  it('ask --json returns the hunt, the KQL, every row and a summary whose flags include every injected scenario', () => {
    const r = hunt(['ask', '--json', '--data', data, '--now', NOW, 'List devices connecting to public IPs on ports above 1024']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ skill: 'Detect outbound malicious traffic', parameters: { MinRemotePort: 1025, RemoteIPTypes: ['Public'], Lookback: '7d' }, truncated: false });
    expect(out.kql).toContain('| where RemotePort >= 1025');
    expect(out.columns.slice(0, 5)).toEqual([
      { name: 'DeviceName', type: 'string' }, { name: 'RemoteIP', type: 'string' }, { name: 'RemotePort', type: 'int' },
      { name: 'InitiatingProcessFileName', type: 'string' }, { name: 'Connections', type: 'long' },
    ]);
    expect(out.rowCount).toBe(out.rows.length);
    expect(out.rows.every((row: { RemotePort: number }) => row.RemotePort >= 1025)).toBe(true);
    const flagged = out.summary.flagged.map((f: { DeviceName: string; RemoteIP: string; RemotePort: number; InitiatingProcessFileName: string }) =>
      `${f.DeviceName}|${f.RemoteIP}|${f.RemotePort}|${f.InitiatingProcessFileName}`.toLowerCase());
    for (const s of truth.scenarios) expect(flagged).toContain(`${s.device}|${s.remoteIp}|${s.remotePort}|${s.process}`.toLowerCase());
  });

  it('ask --context refines the hunt: exclude powershell.exe leaves its rows out', () => {
    const context = JSON.stringify({ skill: 'Detect outbound malicious traffic', parameters: {} });
    const out = JSON.parse(hunt(['ask', '--json', '--data', data, '--now', NOW, '--context', context, 'exclude powershell.exe']).stdout);
    expect(out.parameters.ExcludeProcesses).toEqual(['powershell.exe']);
    expect(out.rows.length).toBeGreaterThan(0);
    expect(out.rows.some((row: { InitiatingProcessFileName: string }) => row.InitiatingProcessFileName.toLowerCase() === 'powershell.exe')).toBe(false);
  });

  it('query --json runs any KQL with now() fixed by --now', () => {
    const kql = 'DeviceNetworkEvents | where Timestamp > ago(1d) | summarize n = count(), latest = max(Timestamp)';
    const out = JSON.parse(hunt(['query', '--json', '--data', data, '--now', NOW, kql]).stdout);
    expect(out.columns).toEqual([{ name: 'n', type: 'long' }, { name: 'latest', type: 'datetime' }]);
    expect(out.rows[0].n).toBeGreaterThan(0);
    expect(Date.parse(out.rows[0].latest)).toBeLessThanOrEqual(Date.parse(NOW));
    expect(Date.parse(out.rows[0].latest)).toBeGreaterThan(Date.parse(NOW) - 86_400_000);
  });

  it('query refuses KQL the parser rejects, and names a missing data folder', () => {
    const bad = hunt(['query', '--data', data, 'DeviceNetworkEvents | where NoSuchColumn == 1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^hunt: The Kusto parser rejects the query: .*NoSuchColumn.*\(line 1, column 29\)/);
    const missing = hunt(['query', '--data', path.join(data, 'nope'), 'DeviceInfo | take 1']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope/);
  });
});
