import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSkills, parseManifest } from '../../src/skills/manifest.ts';
import type { Hunt, Skill } from '../../src/skills/types.ts';
import { describeHunt } from '../../src/nlu/describe.ts';
import { createRulesMapper } from '../../src/nlu/rulesMapper.ts';
import type { MapResult } from '../../src/nlu/types.ts';

const seed = loadSkills().skills.find((s) => s.name === 'Detect outbound malicious traffic')!;
const now = new Date('2026-12-04T12:00:00Z');

// A second skill that exists only in this test: its inputs have other names, so values can only reach them by slot.
const fileSkill = parseManifest(`
Descriptor:
  Name: File hunting
  Description: Test plugin
SkillGroups:
  - Format: KQL
    Skills:
      - Name: Find file events
        DisplayName: Find file events
        Description: Files created, modified, renamed or deleted on devices, with the process that wrote them.
        ExamplePrompts:
          - "Show files created by powershell"
          - "Which processes wrote executables to disk?"
          - "List file downloads on a device"
        Inputs:
          - Name: Window
            Description: How far back to look
            Type: timespan
            DefaultValue: 1d
            Slot: lookback
          - Name: Host
            Description: Only this device
            Slot: device
          - Name: Writers
            Description: Only these initiating processes
            Type: string[]
            Slot: includeProcesses
          - Name: FileName
            Description: One file name
        Settings:
          Target: Defender
          Template: |-
            DeviceFileEvents
            | where Timestamp > ago({{Window}})
            | where DeviceName =~ {{Host}}
            | where InitiatingProcessFileName in~ ({{Writers}})
            | where FileName =~ {{FileName}}
`, 'file-events.yaml')[0];

const hunt = (r: MapResult) => {
  if (r.kind !== 'hunt') throw new Error(`expected a hunt, got ${JSON.stringify(r)}`);
  return r;
};

describe('choosing the skill', () => {
  const mapper = createRulesMapper([seed, fileSkill]);

  it('reaches a skill that only its manifest describes, filling its inputs by slot', async () => {
    const r = hunt(await mapper.map('show files created by powershell on WS-0042 in the last 24 hours', { now }));
    expect(r.hunt).toStrictEqual({ skill: 'Find file events', parameters: { Window: '24h', Writers: ['powershell.exe'], Host: 'WS-0042' } });
  });

  it('still picks the seed for network prompts', async () => {
    const r = hunt(await mapper.map('List devices connecting to public IPs on ports above 1024.', { now }));
    expect(r.hunt.skill).toBe(seed.name);
    expect(r.confidence).toBeGreaterThan(0.5);
  });

  it('picks by slot when the prompt has only values, if one skill has them all', async () => {
    expect(hunt(await mapper.map('public IPs, last 24 hours', { now })).hunt).toStrictEqual({ skill: seed.name, parameters: { RemoteIPTypes: ['Public'], Lookback: '24h' } });
    const both = await mapper.map('last 24 hours on WS-0042', { now });
    expect(both).toMatchObject({ kind: 'clarify', suggestions: expect.arrayContaining(['Find file events', seed.displayName]) });
  });

  it('refines a hunt of the second skill and refuses what it has no slot for', async () => {
    const current: Hunt = { skill: 'Find file events', parameters: { Host: 'WS-0042' } };
    expect(hunt(await mapper.map('now the last 7 days', { now, current })).hunt.parameters).toStrictEqual({ Host: 'WS-0042', Window: '7d' });
    const r = await mapper.map('only port 4444', { now, current });
    expect(r).toMatchObject({ kind: 'clarify', message: 'Find file events can\'t filter by port.' });
  });

  it('starts over on another skill when a follow-up is clearly a new topic', async () => {
    const current: Hunt = { skill: seed.name, parameters: { DeviceName: 'WS-0042', RemotePorts: [4444] } };
    const r = hunt(await mapper.map('now show files created by powershell', { now, current }));
    expect(r.hunt).toStrictEqual({ skill: 'Find file events', parameters: { Writers: ['powershell.exe'] } });
  });

  it('asks when two skills tie', async () => {
    const twin: Skill = { ...seed, name: 'Twin', displayName: 'Twin of the seed' };
    const r = await createRulesMapper([seed, twin]).map('Get all outbound traffic', { now });
    expect(r).toMatchObject({ kind: 'clarify', suggestions: expect.arrayContaining([seed.displayName, 'Twin of the seed']) });
  });

  it('asks, with the skills as suggestions, when nothing fits', async () => {
    const r = await mapper.map("what's the weather", { now });
    expect(r.kind).toBe('clarify');
    if (r.kind === 'clarify') expect(r.suggestions.length).toBeGreaterThan(0);
  });
});

describe('the seed skill', () => {
  const mapper = createRulesMapper([seed]);

  it('maps the example prompts to the seed with parameters that match its defaults', async () => {
    for (const prompt of seed.examplePrompts) {
      const r = hunt(await mapper.map(prompt, { now }));
      expect(r.hunt.skill).toBe(seed.name);
      expect(r.explanation).toBe('Detect outbound malicious traffic: Public IPs · ports above 1024 · last 7 days');
    }
  });

  it('explains each hunt with describeHunt', async () => {
    const r = hunt(await mapper.map('failed connections from chrome on WS-0042 since yesterday', { now }));
    expect(r.explanation).toBe(describeHunt(seed, r.hunt.parameters));
    expect(r.explanation).toBe('Detect outbound malicious traffic: Public IPs · ports above 1024 · device WS-0042 · only chrome.exe · outcome ConnectionFailed · since 2026-12-03');
  });

  it('does not change the current hunt it is given', async () => {
    const current: Hunt = { skill: seed.name, parameters: { IncludeProcesses: ['powershell.exe'], RemoteIPTypes: ['Public'] } };
    const copy = structuredClone(current);
    await mapper.map('also chrome and include private IPs too', { now, current });
    await mapper.map('exclude powershell.exe', { now, current });
    expect(current).toStrictEqual(copy);
  });

  it('gives the same answer every time', async () => {
    const ctx = { now, current: { skill: seed.name, parameters: { DeviceName: 'WS-0042' } } };
    expect(await mapper.map('only port 4444 last 24 hours', ctx)).toStrictEqual(await mapper.map('only port 4444 last 24 hours', ctx));
  });

  it('reads every valid port and refuses every invalid one', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 65535 }), async (port) => {
      expect(hunt(await mapper.map(`outbound traffic on port ${port}`, { now })).hunt.parameters).toStrictEqual({ RemotePorts: [port] });
    }), { numRuns: 200 });
    await fc.assert(fc.asyncProperty(fc.integer({ min: 65536, max: 10_000_000 }), async (port) => {
      expect(await mapper.map(`only port ${port}`, { now })).toMatchObject({ kind: 'clarify', message: `${port} is not a port number: ports go from 0 to 65535.` });
    }), { numRuns: 100 });
  });

  it('keeps host names as typed', async () => {
    const hostName = fc.tuple(fc.stringMatching(/^[A-Za-z]{2,6}$/), fc.stringMatching(/^[0-9]{1,5}$/)).map(([a, b]) => `${a}-${b}`);
    await fc.assert(fc.asyncProperty(hostName, async (name) => {
      expect(hunt(await mapper.map(`outbound traffic on ${name}`, { now })).hunt.parameters).toStrictEqual({ DeviceName: name });
    }), { numRuns: 200 });
  });
});

describe('describeHunt', () => {
  it('says the defaults of the seed', () => {
    expect(describeHunt(seed, {})).toBe('Detect outbound malicious traffic: Public IPs · ports above 1024 · last 7 days');
  });

  it('says what replaces a default', () => {
    expect(describeHunt(seed, { RemotePorts: [80, 443, 8080], StartTime: '2026-11-01T00:00:00.000Z', EndTime: '2026-11-04T00:00:00.000Z', Top: 20 }))
      .toBe('Detect outbound malicious traffic: Public IPs · ports 80, 443 and 8080 · 2026-11-01 to 2026-11-03 · top 20');
    expect(describeHunt(seed, { MinRemotePort: 8000, MaxRemotePort: 9000, RemoteIPTypes: ['Public', 'Private'], StartTime: '2026-11-02T00:00:00.000Z', EndTime: '2026-11-03T00:00:00.000Z' }))
      .toBe('Detect outbound malicious traffic: Public and Private IPs · ports 8000–9000 · on 2026-11-02');
    expect(describeHunt(seed, { MinRemotePort: 0, ExcludeProcesses: ['teams.exe', 'msedge.exe'], Lookback: '1h', Top: 10 }))
      .toBe('Detect outbound malicious traffic: Public IPs · all ports · excluding teams.exe and msedge.exe · last hour');
  });

  it('lists inputs without a slot by name', () => {
    expect(describeHunt(fileSkill, { FileName: 'invoice.pdf.exe' })).toBe('Find file events: last day · FileName invoice.pdf.exe');
  });
});
