import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/summary/summarize.ts';
import { beaconInterval, isPublicIp } from '../../src/summary/flags.ts';
import { benignRows, irregularTimes, result, row, scenarios, times, type SeedRow } from './fixtures.ts';

const opts = { explanation: 'Outbound connections to Public IPs on ports above 1024', title: 'Detect outbound malicious traffic' };

/** The reasons the summary gives for one scenario row, hunted among the company's everyday traffic. */
function reasonsFor(target: SeedRow, others: SeedRow[] = benignRows()): string[] {
  const summary = summarize(result([...others, target]), opts);
  const match = summary.flagged.find((g) => g.DeviceName === target.DeviceName && g.RemoteIP === target.RemoteIP && g.RemotePort === target.RemotePort);
  return match?.reasons ?? [];
}

describe('flags', () => {
  it('does not flag everyday company traffic', () => {
    const summary = summarize(result(benignRows()), { ...opts, pageSize: 100 });
    expect(summary.totals.groups).toBeGreaterThan(30);
    expect(summary.flagged).toEqual([]);
    expect(summary.groups.every((g) => g.reasons.length === 0)).toBe(true);
  });

  it('flags a PowerShell beacon to 192.0.2.10:4444 every 5 minutes, with every reason', () => {
    const reasons = reasonsFor(scenarios.beaconingPowershell);
    expect(reasons).toEqual([
      'Port 4444 is a common C2 port (Metasploit default)',
      'powershell.exe is a script host or system tool (LOLBin) talking to a public IP',
      'Beaconing every ~5 min (48 connections at regular intervals)',
      'No other device connects to 192.0.2.10 (rare destination)',
    ]);
  });

  it('flags xmrig to a mining pool port, tor.exe to a Tor port, ncat to 31337', () => {
    expect(reasonsFor(scenarios.xmrig)).toEqual(expect.arrayContaining([
      'Port 3333 is a cryptocurrency mining pool port', 'xmrig.exe is a cryptocurrency miner',
    ]));
    expect(reasonsFor(scenarios.tor)).toEqual(expect.arrayContaining(['Port 9001 is a Tor port', 'tor.exe is the Tor client (anonymized traffic)']));
    expect(reasonsFor(scenarios.ncat)).toEqual(expect.arrayContaining([
      'Port 31337 is a common C2 port (Back Orifice)', 'ncat.exe is a netcat tool, often used for reverse shells',
    ]));
  });

  it('flags mshta to a public high port as a LOLBin', () => {
    expect(reasonsFor(scenarios.mshta)).toEqual([
      'mshta.exe is a script host or system tool (LOLBin) talking to a public IP',
      'No other device connects to 203.0.113.80 (rare destination)',
    ]);
  });

  it('flags an exfiltration burst from an unknown binary', () => {
    expect(reasonsFor(scenarios.exfilBurst)).toEqual([
      'Burst of 600 connections in 6 min (possible exfiltration)',
      'No other device connects to 198.51.100.99 (rare destination)',
    ]);
  });

  it('puts all the scenarios first, and only them', () => {
    const malicious = Object.values(scenarios);
    const summary = summarize(result([...benignRows(), ...malicious]), opts);
    expect(summary.flagged.map((g) => g.InitiatingProcessFileName).sort()).toEqual(malicious.map((m) => m.InitiatingProcessFileName).sort());
    expect(summary.groups.slice(0, malicious.length).every((g) => g.reasons.length > 0)).toBe(true);
    expect(summary.groups[malicious.length].reasons).toEqual([]);
  });

  it('flags a rare destination alone only for a process that is not a common app', () => {
    const unknown = row({ DeviceName: 'WS-0002', RemoteIP: '203.0.113.44', RemotePort: 5000, InitiatingProcessFileName: 'acme-agent.exe' });
    expect(reasonsFor(unknown)).toEqual(['No other device connects to 203.0.113.44 (rare destination)']);
    // The same destination from a second device is not rare.
    const again = { ...unknown, DeviceName: 'WS-0003' };
    expect(reasonsFor(unknown, [...benignRows(), again])).toEqual([]);
    // In a hunt of one or two devices every destination is seen from one device: the rule stays quiet.
    const twoDevices = benignRows().filter((r) => r.DeviceName === 'WS-0001' || r.DeviceName === 'WS-0002');
    expect(reasonsFor(unknown, twoDevices)).toEqual([]);
  });

  it('does not flag a script host talking to a private address', () => {
    const winrm = row({ DeviceName: 'WS-0001', RemoteIP: '10.0.0.5', RemotePort: 5985, InitiatingProcessFileName: 'powershell.exe' });
    const other = { ...winrm, DeviceName: 'WS-0002' };
    expect(reasonsFor(winrm, [...benignRows(), other])).toEqual([]);
  });

  it('flags 8443 from a non-browser but not from a browser', () => {
    const updater = row({ DeviceName: 'WS-0001', RemoteIP: '104.18.32.7', RemotePort: 8443, InitiatingProcessFileName: 'updater.exe' });
    expect(reasonsFor(updater)).toEqual(['Port 8443 from a process that is not a browser or common app is a common C2 choice']);
    expect(reasonsFor({ ...updater, InitiatingProcessFileName: 'msedge.exe' })).toEqual([]);
  });

  it('compares process names case-insensitively', () => {
    expect(reasonsFor({ ...scenarios.mshta, InitiatingProcessFileName: 'MSHTA.EXE' })[0]).toBe('MSHTA.EXE is a script host or system tool (LOLBin) talking to a public IP');
  });
});

describe('beaconInterval', () => {
  it('finds regular gaps with some jitter and gives the mean gap', () => {
    expect(beaconInterval(times(10, 300_000, { jitter: 0.15 }))).toBeCloseTo(300_000, -3);
    expect(beaconInterval(times(6, 60_000).reverse())).toBe(60_000);
  });

  it('ignores irregular gaps, too few connections and a single instant', () => {
    expect(beaconInterval(irregularTimes(30))).toBeUndefined();
    expect(beaconInterval(times(5, 60_000))).toBeUndefined();
    expect(beaconInterval(times(8, 0))).toBeUndefined();
  });
});

describe('isPublicIp', () => {
  it('tells public from private, loopback, link-local, CGNAT and bad addresses', () => {
    for (const ip of ['8.8.8.8', '192.0.2.10', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.4.4']) expect(isPublicIp(ip), ip).toBe(true);
    for (const ip of ['10.1.2.3', '172.16.0.1', '192.168.1.1', '127.0.0.1', '169.254.1.1', '100.64.0.1', '224.0.0.1', '::1', 'fe80::1', 'fd00::1', '300.1.1.1', 'host'])
      expect(isPublicIp(ip), ip).toBe(false);
  });
});
