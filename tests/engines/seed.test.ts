import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSkills } from '../../src/skills/manifest.ts';
import { renderHunt } from '../../src/skills/render.ts';
import type { LocalEngine } from '../../src/engines/local/engine.ts';
import { fixtureEngine, NOW } from './fixture.ts';

// The original plugin's Template, unchanged (/work/shared/seed/000_4179cef26b901c80.txt).
const ORIGINAL = `DeviceNetworkEvents
| where RemoteIPType == "Public" and RemotePort > 1024
| join kind=leftouter (
DeviceProcessEvents
| project DeviceId, FileName, InitiatingProcessFileName
) on DeviceId
| summarize by DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName, FileName`;

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
const iso = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString().replace(".000Z", "Z");
const T0 = '2024-05-01 08:00:00';

// Two devices. ws-1 has two processes (powershell made its connections, notepad did not); ws-2 has none.
const connection = { ActionType: 'ConnectionSuccess', RemoteIPType: 'Public', InitiatingProcessFileName: 'powershell.exe', InitiatingProcessId: 100, InitiatingProcessCreationTime: T0, InitiatingProcessCommandLine: 'powershell.exe -enc AAA', InitiatingProcessAccountDomain: 'CORP', InitiatingProcessAccountName: 'alice', DeviceId: 'd1', DeviceName: 'ws-1', RemoteIP: '203.0.113.7', RemotePort: 4444 };
const network = [
  { ...connection, Timestamp: hoursAgo(1) },
  { ...connection, Timestamp: hoursAgo(2), ActionType: 'ConnectionFailed' },
  { ...connection, Timestamp: hoursAgo(1), RemoteIP: '10.0.0.5', RemoteIPType: 'Private' }, // private: out
  { ...connection, Timestamp: hoursAgo(1), RemoteIP: '198.51.100.9', RemotePort: 443 }, // port <= 1024: out
  { ...connection, Timestamp: hoursAgo(240) }, // ten days old: only the original (no time filter) keeps it
  { ...connection, Timestamp: hoursAgo(3), DeviceId: 'd2', DeviceName: 'ws-2', RemoteIP: '8.8.8.8', RemotePort: 8443, InitiatingProcessFileName: 'chrome.exe', InitiatingProcessId: 200, InitiatingProcessCommandLine: 'chrome.exe --type=renderer', InitiatingProcessAccountName: 'bob' },
];
const processes = [
  { Timestamp: T0, DeviceId: 'd1', DeviceName: 'ws-1', FileName: 'powershell.exe', ProcessId: 100, ProcessCreationTime: T0, ProcessCommandLine: 'powershell -enc AAA', AccountDomain: 'CORP', AccountName: 'alice', InitiatingProcessFileName: 'explorer.exe' },
  { Timestamp: T0, DeviceId: 'd1', DeviceName: 'ws-1', FileName: 'notepad.exe', ProcessId: 101, ProcessCreationTime: T0, ProcessCommandLine: 'notepad.exe', AccountDomain: 'CORP', AccountName: 'alice', InitiatingProcessFileName: 'explorer.exe' },
];

let engine: LocalEngine;
beforeAll(async () => { engine = await fixtureEngine({ DeviceNetworkEvents: network, DeviceProcessEvents: processes }); });
afterAll(async () => { await engine.close(); });

const sortRows = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('the seed skill', () => {
  it('runs the original plugin query unchanged, with its fan-out (leftouter join on DeviceId alone)', async () => {
    const result = await engine.run(ORIGINAL, { now: NOW });
    expect(result.columns).toEqual([
      { name: 'DeviceName', type: 'string' }, { name: 'RemoteIP', type: 'string' }, { name: 'RemotePort', type: 'int' },
      { name: 'InitiatingProcessFileName', type: 'string' }, { name: 'FileName', type: 'string' },
    ]);
    // ws-1's connection pairs with both of its processes; ws-2 has none, so its FileName is empty.
    expect(sortRows(result.rows)).toEqual(sortRows([
      { DeviceName: 'ws-1', RemoteIP: '203.0.113.7', RemotePort: 4444, InitiatingProcessFileName: 'powershell.exe', FileName: 'powershell.exe' },
      { DeviceName: 'ws-1', RemoteIP: '203.0.113.7', RemotePort: 4444, InitiatingProcessFileName: 'powershell.exe', FileName: 'notepad.exe' },
      { DeviceName: 'ws-2', RemoteIP: '8.8.8.8', RemotePort: 8443, InitiatingProcessFileName: 'chrome.exe', FileName: '' },
    ]));
  });

  it('runs the fixed template with default parameters: one row per connection group, joined to its own process', async () => {
    const { skills } = loadSkills();
    const skill = skills.find((s) => s.name === 'Detect outbound malicious traffic')!;
    const { kql } = renderHunt(skill, { skill: skill.name, parameters: {} });
    const result = await engine.run(kql, { now: NOW });
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'DeviceName:string', 'RemoteIP:string', 'RemotePort:int', 'InitiatingProcessFileName:string', 'Connections:long',
      'FirstSeen:datetime', 'LastSeen:datetime', 'ProcessCommandLine:string', 'Account:string', 'ParentProcessFileName:string',
      'ActionTypes:dynamic', 'ConnectionTimes:dynamic',
    ]);
    const rows = result.rows.map((r) => ({ ...r, ActionTypes: [...(r.ActionTypes as string[])].sort(), ConnectionTimes: [...(r.ConnectionTimes as string[])].sort() }));
    expect(rows).toEqual([
      {
        DeviceName: 'ws-1', RemoteIP: '203.0.113.7', RemotePort: 4444, InitiatingProcessFileName: 'powershell.exe', Connections: 2,
        FirstSeen: iso(2), LastSeen: iso(1), ProcessCommandLine: 'powershell -enc AAA', Account: 'CORP\\alice', ParentProcessFileName: 'explorer.exe',
        ActionTypes: ['ConnectionFailed', 'ConnectionSuccess'], ConnectionTimes: [iso(2), iso(1)],
      },
      {
        DeviceName: 'ws-2', RemoteIP: '8.8.8.8', RemotePort: 8443, InitiatingProcessFileName: 'chrome.exe', Connections: 1,
        FirstSeen: iso(3), LastSeen: iso(3), ProcessCommandLine: 'chrome.exe --type=renderer', Account: 'CORP\\bob', ParentProcessFileName: '',
        ActionTypes: ['ConnectionSuccess'], ConnectionTimes: [iso(3)],
      },
    ]);
  });

  it('narrows with the optional inputs (port list, device, process, IP range, action type)', async () => {
    const { skills } = loadSkills();
    const skill = skills.find((s) => s.name === 'Detect outbound malicious traffic')!;
    const { kql } = renderHunt(skill, { skill: skill.name, parameters: { RemotePorts: [4444], DeviceName: 'WS-1', IncludeProcesses: ['PowerShell.exe'], RemoteIPs: ['203.0.113.0/24'], ActionTypes: ['connectionfailed'] } });
    const result = await engine.run(kql, { now: NOW });
    expect(result.rows.map((r) => [r.DeviceName, r.RemoteIP, r.Connections, r.ActionTypes])).toEqual([['ws-1', '203.0.113.7', 1, ['ConnectionFailed']]]);
  });
});
