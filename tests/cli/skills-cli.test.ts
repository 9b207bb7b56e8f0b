import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hunt } from './helpers.ts';

const SEED = 'Detect outbound malicious traffic';
const NOW = '2026-12-04T12:00:00Z';

describe('hunt parse / render / skills / export-plugin', () => {
  it('parse --json names the seed skill with ports above 1024 and Public', () => {
    const r = hunt(['parse', '--json', 'List devices connecting to public IPs on ports above 1024']);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ kind: 'hunt', hunt: { skill: SEED, parameters: { MinRemotePort: 1025, RemoteIPTypes: ['Public'] } } });
    expect(result.explanation).toMatch(/ports above 1024/);
  });

  it('parse --context reads a follow-up against the given hunt', () => {
    const context = JSON.stringify({ skill: SEED, parameters: { DeviceName: 'WS-0042' } });
    const r = hunt(['parse', '--json', '--now', NOW, '--context', context, 'now the last 24 hours']);
    expect(JSON.parse(r.stdout).hunt.parameters).toEqual({ DeviceName: 'WS-0042', Lookback: '24h' });
  });

  it.each([
    'Get all outbound traffic',
    'Show me all outbound traffic to public IPs on non-standard ports.',
    'List devices connecting to public IPs on ports above 1024.',
    'Find all applications making outbound connections to public IPs.',
  ])('render "%s" prints the seed KQL with its defaults', (prompt) => {
    const r = hunt(['render', '--now', NOW, prompt]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\/\/ Outbound connections/);
    expect(r.stdout).toContain('| where RemoteIPType in (dynamic(["Public"]))\n| where RemotePort >= 1025\n');
    expect(r.stdout).toContain('| where Timestamp > ago(7d)\n');
  });

  it('refuses bad input with a message and exit status 2', () => {
    const r = hunt(['parse', '--context', '{"skill": 3}', 'only port 4444']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^hunt: --context is not a hunt: skill/);
    const bad = hunt(['parse', '--now', 'tomorrowish', 'top 5']);
    expect(bad.stderr).toMatch(/--now must be an ISO 8601 time/);
  });

  it('skills lists inputs and example prompts', () => {
    const r = hunt(['skills']);
    expect(r.stdout).toContain(SEED);
    expect(r.stdout).toMatch(/MinRemotePort \(int, optional, default 1025\)/);
    expect(r.stdout).toContain('"List devices connecting to public IPs on ports above 1024."');
  });

  it('export-plugin --out writes a standard manifest', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'export-')), 'plugin.yaml');
    expect(hunt(['export-plugin', '--out', out]).status).toBe(0);
    const manifest = parse(readFileSync(out, 'utf8'));
    expect(manifest.SkillGroups[0].Skills[0].Name).toBe(SEED);
    expect(JSON.stringify(manifest)).not.toMatch(/"(Type|Slot|ExclusiveWith|AllowedValues|Min|Max)"/);
  });

  it('reports a bad manifest in SKILLS_DIR and still lists the good ones', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'skills-'));
    copyFileSync('prompts/detect-outbound-malicious-traffic.yaml', path.join(dir, 'seed.yaml'));
    writeFileSync(path.join(dir, 'broken.yaml'), 'Descriptor:\n  Name: Broken\nSkillGroups:\n  - Format: KQL\n    Skills:\n      - Name: B\n        Settings:\n          Target: Elsewhere\n          Template: DeviceInfo\n');
    const r = hunt(['skills'], { SKILLS_DIR: dir });
    expect(r.stderr).toMatch(/skipped manifest: broken\.yaml:\d+: /);
    expect(r.stdout).toContain(SEED);
  });
});
