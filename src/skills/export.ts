import { stringify } from 'yaml';
import { effectiveParameters } from './render.ts';
import { placeholdersIn, substitutePlaceholders } from './manifest.ts';
import type { InputType, ParamValue, Skill, SkillInput } from './types.ts';

// Security Copilot substitutes `{{Name}}` as plain text and has no optional clauses. So the exported skill
// keeps the template lines whose inputs all have a value by default (the others are left out with their inputs),
// writes the quoting each type needs around the placeholder, and drops this project's extension keys.

function copilotPlaceholder(type: InputType, name: string): string {
  switch (type) {
    case 'int': case 'timespan': return `{{${name}}}`;
    case 'datetime': return `datetime({{${name}}})`;
    case 'string': case 'ip': return `'{{${name}}}'`;
    // A comma-separated value typed in Security Copilot becomes a dynamic array of strings.
    case 'string[]': case 'ip[]': return `split('{{${name}}}', ',')`;
    case 'int[]': return `dynamic([{{${name}}}])`;
  }
}

const asText = (value: ParamValue) => (Array.isArray(value) ? value.join(',') : String(value));

/** The template and inputs a Security Copilot skill can use as they are. */
export function copilotSkill(skill: Skill): { template: string; inputs: SkillInput[]; defaults: Record<string, ParamValue> } {
  const defaults = effectiveParameters(skill, { skill: skill.name, parameters: {} });
  const byName = new Map(skill.inputs.map((i) => [i.name, i]));
  const kept = skill.template.split('\n').filter((line) => placeholdersIn(line).every((n) => n in defaults));
  const template = substitutePlaceholders(kept.join('\n'), (name) => copilotPlaceholder(byName.get(name)!.type, name));
  const used = new Set(placeholdersIn(kept.join('\n')));
  return { template, inputs: skill.inputs.filter((i) => used.has(i.name)), defaults };
}

/** A Security Copilot plugin manifest (YAML) for these skills, with only the keys Security Copilot knows. */
export function exportPlugin(skills: Skill[], descriptor: { name: string; displayName?: string; description: string }): string {
  const manifest = {
    Descriptor: { Name: descriptor.name, DisplayName: descriptor.displayName ?? descriptor.name, Description: descriptor.description },
    SkillGroups: [{
      Format: 'KQL',
      Skills: skills.map((skill) => {
        const { template, inputs, defaults } = copilotSkill(skill);
        return {
          Name: skill.name,
          DisplayName: skill.displayName,
          Description: skill.description,
          ExamplePrompts: skill.examplePrompts,
          Inputs: inputs.map((i) => ({
            Name: i.name,
            Description: i.description,
            Required: false,
            DefaultValue: asText(defaults[i.name]),
            ...(i.placeholderValue ? { PlaceholderValue: i.placeholderValue } : {}),
          })),
          Settings: { Target: skill.target, ...skill.settings, Template: template },
        };
      }),
    }],
  };
  return stringify(manifest, { lineWidth: 0, blockQuote: 'literal' });
}
