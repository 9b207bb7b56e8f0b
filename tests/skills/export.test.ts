import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSkills, parseManifest } from '../../src/skills/manifest.ts';
import { exportPlugin } from '../../src/skills/export.ts';
import { checkKql } from '../../src/skills/render.ts';

const { skills } = loadSkills();
const seed = skills.find((s) => s.name === 'Detect outbound malicious traffic')!;
const STANDARD_INPUT_KEYS = ['Name', 'Description', 'Required', 'DefaultValue', 'PlaceholderValue'];
const STANDARD_SKILL_KEYS = ['Name', 'DisplayName', 'Description', 'ExamplePrompts', 'Inputs', 'Settings'];

describe('export-plugin', () => {
  const yaml = exportPlugin([seed], { name: seed.plugin, description: seed.description });
  const manifest = parse(yaml);
  const skill = manifest.SkillGroups[0].Skills[0];

  it('writes only keys Security Copilot knows', () => {
    expect(Object.keys(manifest).sort()).toEqual(['Descriptor', 'SkillGroups']);
    expect(manifest.SkillGroups[0].Format).toBe('KQL');
    for (const key of Object.keys(skill)) expect(STANDARD_SKILL_KEYS).toContain(key);
    for (const input of skill.Inputs) for (const key of Object.keys(input)) expect(STANDARD_INPUT_KEYS).toContain(key);
    expect(Object.keys(skill.Settings).sort()).toEqual(['ResourceGroupName', 'SubscriptionId', 'Target', 'Template', 'TenantId', 'WorkspaceName'].sort());
    expect(skill.ExamplePrompts).toEqual(seed.examplePrompts);
  });

  it('gives a template that parses once Security Copilot substitutes the default values as plain text', () => {
    const placeholders = [...skill.Settings.Template.matchAll(/\{\{(\w+)\}\}/g)].map((m: RegExpMatchArray) => m[1]);
    expect(new Set(placeholders)).toEqual(new Set(skill.Inputs.map((i: { Name: string }) => i.Name)));
    const substituted = skill.Settings.Template.replace(/\{\{(\w+)\}\}/g, (_: string, name: string) => skill.Inputs.find((i: { Name: string }) => i.Name === name).DefaultValue);
    expect(() => checkKql(substituted)).not.toThrow();
    expect(substituted).toMatch(/RemoteIPType in \(split\('Public', ','\)\)/);
    expect(substituted).toMatch(/ago\(7d\)/);
    expect(substituted).toMatch(/RemotePort >= 1025/);
  });

  it('reads back as a manifest this project loads too', () => {
    const [again] = parseManifest(yaml, 'exported.yaml');
    expect(again.name).toBe(seed.name);
    expect(again.inputs.map((i) => i.name)).toEqual(['RemoteIPTypes', 'MinRemotePort', 'Lookback']);
  });
});
