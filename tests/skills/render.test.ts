import { describe, expect, it } from 'vitest';
import { loadSkills } from '../../src/skills/manifest.ts';
import { checkKql, effectiveParameters, renderHunt } from '../../src/skills/render.ts';
import { InvalidParameterError, KqlSyntaxError } from '../../src/errors.ts';
import type { Hunt } from '../../src/skills/types.ts';

const seed = loadSkills().skills.find((s) => s.name === 'Detect outbound malicious traffic')!;
const hunt = (parameters: Hunt['parameters']): Hunt => ({ skill: seed.name, parameters });
const whereLines = (kql: string) => kql.split('\n').filter((l) => l.startsWith('| where'));

describe('rendering the seed skill', () => {
  it('with no parameters gives the seed filter: public IPs, ports above 1024, last 7 days', () => {
    const { kql, parameters } = renderHunt(seed, hunt({}));
    expect(whereLines(kql)).toEqual([
      '| where Timestamp > ago(7d)',
      '| where RemoteIPType in (dynamic(["Public"]))',
      '| where RemotePort >= 1025',
    ]);
    expect(parameters).toEqual({ RemoteIPTypes: ['Public'], MinRemotePort: 1025, Lookback: '7d', Top: 10 });
    expect(kql).not.toMatch(/\{\{/);
  });

  it('joins each connection to the process that made it, not to every process on the device', () => {
    const { kql } = renderHunt(seed, hunt({}));
    expect(kql).toMatch(/on DeviceId, \$left\.InitiatingProcessId == \$right\.ProcessId, \$left\.InitiatingProcessCreationTime == \$right\.ProcessCreationTime/);
    expect(kql).toMatch(/by DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName/);
    expect(kql).toMatch(/Connections = count\(\), FirstSeen = min\(Timestamp\), LastSeen = max\(Timestamp\)/);
  });

  it('renders every input as one literal of its type, escaped', () => {
    const { kql } = renderHunt(seed, hunt({
      RemotePorts: [4444, '8443'] as unknown as number[], ExcludeRemotePorts: [8080], DeviceName: 'WS-"0042\\', IncludeProcesses: 'powershell.exe, rundll32.exe',
      RemoteIPs: ['203.0.113.7', '198.51.100.0/24'], StartTime: '2026-11-01', EndTime: '2026-11-03T12:00:00+02:00', ActionTypes: ['ConnectionSuccess'],
    }));
    expect(whereLines(kql)).toEqual([
      '| where Timestamp >= datetime(2026-11-01T00:00:00.000Z)',
      '| where Timestamp < datetime(2026-11-03T10:00:00.000Z)',
      '| where RemoteIPType in (dynamic(["Public"]))',
      '| where RemotePort in (dynamic([4444, 8443]))',
      '| where RemotePort !in (dynamic([8080]))',
      '| where DeviceName =~ "WS-\\"0042\\\\" or DeviceName startswith strcat("WS-\\"0042\\\\", ".")',
      '| where InitiatingProcessFileName in~ (dynamic(["powershell.exe", "rundll32.exe"]))',
      '| where ipv4_is_in_any_range(RemoteIP, dynamic(["203.0.113.7", "198.51.100.0/24"])) or RemoteIP in (dynamic(["203.0.113.7", "198.51.100.0/24"]))',
      '| where ActionType in~ (dynamic(["ConnectionSuccess"]))',
    ]);
  });

  it('lets exact ports replace the default port range, and an absolute range replace the lookback', () => {
    const p = effectiveParameters(seed, hunt({ RemotePorts: [80], StartTime: '2026-11-02' }));
    expect(p).not.toHaveProperty('MinRemotePort');
    expect(p).not.toHaveProperty('Lookback');
    expect(p).toMatchObject({ RemotePorts: [80], StartTime: '2026-11-02T00:00:00.000Z' });
  });

  it.each([
    [{ MinRemotePort: 70000 }, /MinRemotePort must be between 0 and 65535 \(got 70000\)/],
    [{ RemotePorts: [80, 70000] }, /RemotePorts must be between 0 and 65535/],
    [{ RemotePorts: ['80; DeviceInfo'] }, /RemotePorts must be a whole number/],
    [{ Lookback: '7x' }, /Lookback must be a timespan such as 30m, 24h or 7d \(got "7x"\)/],
    [{ RemoteIPs: ['300.1.2.3'] }, /RemoteIPs must be an IP address or an IPv4 CIDR range/],
    [{ RemoteIPs: ['10.0.0.0/33'] }, /RemoteIPs must be an IP address/],
    [{ StartTime: 'yesterday' }, /StartTime must be an ISO 8601 date/],
    [{ RemoteIPTypes: ['Martian'] }, /RemoteIPTypes must be one of Public, Private/],
    [{ DeviceName: 'ws\u0000-1' }, /DeviceName contains a control character/],
    [{ MinRemotePort: 9000, MaxRemotePort: 8000 }, /don't fit together: the lowest port is above the highest/],
    [{ StartTime: '2026-11-03', EndTime: '2026-11-01' }, /the start is not before the end/],
    [{ Lookback: '1d', StartTime: '2026-11-01' }, /Give either Lookback or StartTime, not both/],
    [{ MinRemotePort: 2000, RemotePorts: [4444] }, /Give either MinRemotePort or RemotePorts, not both/],
    [{ Colour: 'red' }, /has no input named Colour/],
  ])('refuses %j with a message naming the input', (parameters, message) => {
    expect(() => renderHunt(seed, hunt(parameters as Hunt['parameters']))).toThrowError(InvalidParameterError);
    expect(() => renderHunt(seed, hunt(parameters as Hunt['parameters']))).toThrowError(message);
  });

  it('normalizes what users type: allowed values by case, duplicates, an empty list as no value', () => {
    const p = effectiveParameters(seed, hunt({ RemoteIPTypes: ['public', 'PRIVATE', 'Public'], ExcludeProcesses: [], Lookback: '24H' }));
    expect(p).toMatchObject({ RemoteIPTypes: ['Public', 'Private'], Lookback: '24h' });
    expect(p).not.toHaveProperty('ExcludeProcesses');
  });

  it('stops a query the Kusto parser rejects, with the position', () => {
    expect(() => checkKql('DeviceNetworkEvents\n| where RemotePortz > 1')).toThrowError(KqlSyntaxError);
    expect(() => checkKql('DeviceNetworkEvents\n| where RemotePortz > 1')).toThrowError(/RemotePortz.*\(line 2, column 9\)/);
  });
});
