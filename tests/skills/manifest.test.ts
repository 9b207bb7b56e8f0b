import { mkdtempSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSkills, parseManifest } from '../../src/skills/manifest.ts';

const minimal = (skillBody: string) => `Descriptor:
  Name: Test plugin
  Description: test
SkillGroups:
  - Format: KQL
    Skills:
${skillBody}`;

describe('loading Security Copilot manifests', () => {
  it('loads the seed skill with its names, example prompts, settings and typed inputs', () => {
    const { skills, problems } = loadSkills();
    expect(problems).toEqual([]);
    const seed = skills.find((s) => s.name === 'Detect outbound malicious traffic')!;
    expect(seed.displayName).toBe('Detect outbound malicious traffic');
    expect(seed.target).toBe('Defender');
    expect(seed.examplePrompts).toEqual([
      'Get all outbound traffic',
      'Show me all outbound traffic to public IPs on non-standard ports.',
      'List devices connecting to public IPs on ports above 1024.',
      'Find all applications making outbound connections to public IPs.',
    ]);
    expect(seed.settings).toMatchObject({ TenantId: 'Enter Tenant ID ', WorkspaceName: 'name of workspace' });
    const byName = Object.fromEntries(seed.inputs.map((i) => [i.name, i]));
    expect(byName.RemoteIPTypes).toMatchObject({ type: 'string[]', defaultValue: ['Public'], slot: 'ipTypes' });
    expect(byName.MinRemotePort).toMatchObject({ type: 'int', defaultValue: 1025, min: 0, max: 65535, exclusiveWith: ['RemotePorts'] });
    expect(byName.Lookback).toMatchObject({ type: 'timespan', defaultValue: '7d', exclusiveWith: ['StartTime', 'EndTime'] });
    expect(seed.description).toMatch(/Changed from the original plugin/);
  });

  it('accepts the spellings real manifests use: ExamplePrompt, Default, Required True', () => {
    const [skill] = parseManifest(minimal(`      - Name: S1
        ExamplePrompt:
          - "find things"
        Inputs:
          - Name: days
            Description: d
            Required: True
            Default: 3d
            Type: timespan
          - Name: who
            Description: w
            Required: "false"
        Settings:
          Target: Sentinel
          Template: "DeviceInfo | where Timestamp > ago({{days}})"
`), 'x.yaml');
    expect(skill.examplePrompts).toEqual(['find things']);
    expect(skill.displayName).toBe('S1');
    expect(skill.inputs[0]).toMatchObject({ required: true, defaultValue: '3d', type: 'timespan' });
    expect(skill.inputs[1]).toMatchObject({ required: false, type: 'string' });
  });

  it('reports a bad value with the file, the line and what is wrong', () => {
    const text = minimal(`      - Name: S1
        Inputs:
          - Name: port
            Type: integer
        Settings:
          Target: Defender
          Template: "DeviceInfo"
`);
    expect(() => parseManifest(text, 'bad.yaml')).toThrowError(/^bad\.yaml:10: SkillGroups\.0\.Skills\.0\.Inputs\.0\.Type: Invalid enum value/);
  });

  it('reports a placeholder with no input, and broken YAML, with their lines', () => {
    const unknown = minimal(`      - Name: S1
        Settings:
          Target: Defender
          Template: "DeviceInfo | where DeviceName == {{Nope}}"
`);
    expect(() => parseManifest(unknown, 'a.yaml')).toThrowError(/a\.yaml:10: .*\{\{Nope\}\} but no input has that name/);
    expect(() => parseManifest('Descriptor:\n  Name: [unclosed\n', 'b.yaml')).toThrowError(/^b\.yaml:\d+: not valid YAML/);
  });

  it('skips a manifest that fails validation and keeps loading the others', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'skills-'));
    copyFileSync('prompts/detect-outbound-malicious-traffic.yaml', path.join(dir, 'seed.yaml'));
    writeFileSync(path.join(dir, 'broken.yaml'), minimal('      - Name: S1\n        Settings:\n          Target: Nowhere\n          Template: x\n'));
    const { skills, problems } = loadSkills(dir);
    expect(skills.map((s) => s.name)).toEqual(['Detect outbound malicious traffic']);
    expect(problems).toHaveLength(1);
    expect(problems[0].userMessage).toMatch(/^broken\.yaml:\d+: .*Target/);
  });

  it('keeps the Defender schema in step with the public benchmark schema', async () => {
    const { fromDotnetSchema, defenderSchema } = await import('../../src/kusto/schema.ts');
    const source = path.resolve('tests/skills/fixtures/Defender_Schema.json');
    expect(fromDotnetSchema(JSON.parse(readFileSync(source, 'utf8')))).toEqual(defenderSchema());
  });
});
