import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { ManifestError } from '../errors.ts';
import { INPUT_TYPES, SLOTS, type ParamValue, type Skill, type SkillInput } from './types.ts';

// Published Security Copilot manifests write Required as true/True/"true" and mix key spellings;
// the schemas accept those and normalise them.
const looseBoolean = z.union([z.boolean(), z.enum(['true', 'True', 'TRUE', 'false', 'False', 'FALSE'])])
  .transform((v) => v === true || (typeof v === 'string' && v.toLowerCase() === 'true'));
const scalarOrList = z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]);
const text = z.string().trim().min(1);

const inputSchema = z.object({
  Name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a name of letters, digits and _'),
  Description: z.string().default(''),
  Required: looseBoolean.default(false),
  DefaultValue: scalarOrList.optional(),
  Default: scalarOrList.optional(),
  PlaceholderValue: z.union([z.string(), z.number()]).transform(String).optional(),
  Type: z.enum(INPUT_TYPES).default('string'),
  AllowedValues: z.array(z.string()).nonempty().optional(),
  Min: z.number().int().optional(),
  Max: z.number().int().optional(),
  Slot: z.enum(SLOTS).optional(),
  ExclusiveWith: z.array(z.string()).default([]),
}).passthrough();

const skillSchema = z.object({
  Name: text,
  DisplayName: z.string().optional(),
  Description: z.string().default(''),
  DescriptionForModel: z.string().optional(),
  ExamplePrompts: z.array(z.string()).optional(),
  ExamplePrompt: z.array(z.string()).optional(),
  Inputs: z.array(inputSchema).default([]),
  Settings: z.object({
    Target: z.enum(['Defender', 'Sentinel', 'LogAnalytics', 'Kusto']),
    Template: z.string().max(80_000).optional(),
    TemplateUrl: z.string().optional(),
  }).passthrough(),
}).passthrough();

const manifestSchema = z.object({
  Descriptor: z.object({ Name: text, DisplayName: z.string().optional(), Description: z.string().default('') }).passthrough(),
  SkillGroups: z.array(z.object({ Format: z.string(), Skills: z.array(skillSchema).default([]) }).passthrough()).nonempty(),
});

type InputDoc = z.infer<typeof inputSchema>;

export const DEFAULT_SKILLS_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../prompts');

/** Loads every `*.yaml`/`*.yml` manifest in `dir`. A bad manifest is reported in `problems` and skipped. */
export function loadSkills(dir: string = DEFAULT_SKILLS_DIR): { skills: Skill[]; problems: ManifestError[] } {
  const skills: Skill[] = [];
  const problems: ManifestError[] = [];
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f)).sort();
  for (const file of files) {
    try {
      for (const skill of parseManifest(readFileSync(path.join(dir, file), 'utf8'), file)) {
        if (skills.some((s) => s.name === skill.name)) throw new ManifestError(file, undefined, `skill "${skill.name}" is already defined by another manifest`);
        skills.push(skill);
      }
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
      problems.push(e);
    }
  }
  return { skills, problems };
}

/** Parses one manifest's text into its KQL skills; throws ManifestError with the file and line of the first problem. */
export function parseManifest(source: string, file: string): Skill[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    throw new ManifestError(file, lineCounter.linePos(err.pos[0]).line, `not valid YAML: ${err.message.split('\n')[0]}`);
  }
  const lineOf = (pathInDoc: (string | number)[]) => lineOfPath(doc, lineCounter, pathInDoc);
  const parsed = manifestSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ManifestError(file, lineOf(issue.path), `${issue.path.join('.') || 'manifest'}: ${issue.message}`);
  }
  const plugin = parsed.data.Descriptor.Name;
  const skills: Skill[] = [];
  parsed.data.SkillGroups.forEach((group, g) => {
    if (group.Format !== 'KQL') return; // other formats (GPT, API) are not hunts
    group.Skills.forEach((s, k) => {
      const at = (...rest: (string | number)[]) => lineOf(['SkillGroups', g, 'Skills', k, ...rest]);
      const { Target, Template, TemplateUrl, ...settings } = s.Settings;
      if (!Template) {
        throw new ManifestError(file, at('Settings'), TemplateUrl
          ? `skill "${s.Name}": TemplateUrl is not supported here (no network); put the query in Template`
          : `skill "${s.Name}": Settings.Template is required`);
      }
      const inputs = s.Inputs.map((input, i) => toInput(input, file, at('Inputs', i)));
      checkTemplate(Template, inputs, file, at('Settings', 'Template'), s.Name);
      skills.push({
        name: s.Name,
        displayName: s.DisplayName ?? s.Name,
        description: s.Description.trim(),
        examplePrompts: s.ExamplePrompts ?? s.ExamplePrompt ?? [],
        inputs,
        target: Target,
        template: Template,
        settings: Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])),
        source: file,
        plugin,
      });
    });
  });
  return skills;
}

function toInput(doc: InputDoc, file: string, line: number | undefined): SkillInput {
  const fail = (problem: string): never => { throw new ManifestError(file, line, `input ${doc.Name}: ${problem}`); };
  const rawDefault = doc.DefaultValue ?? doc.Default;
  if (doc.Min !== undefined && doc.Max !== undefined && doc.Min > doc.Max) fail('Min is greater than Max');
  if ((doc.Min !== undefined || doc.Max !== undefined) && !doc.Type.startsWith('int')) fail('Min and Max apply to int inputs only');
  if (doc.AllowedValues && !doc.Type.startsWith('string')) fail('AllowedValues apply to string inputs only');
  return {
    name: doc.Name,
    description: doc.Description,
    required: doc.Required,
    type: doc.Type,
    defaultValue: rawDefault === undefined ? undefined : (rawDefault as ParamValue),
    placeholderValue: doc.PlaceholderValue,
    allowedValues: doc.AllowedValues,
    min: doc.Min,
    max: doc.Max,
    slot: doc.Slot,
    exclusiveWith: doc.ExclusiveWith,
  };
}

/** Every `{{Name}}` in a template must be a declared input. */
function checkTemplate(template: string, inputs: SkillInput[], file: string, line: number | undefined, skill: string): void {
  for (const name of placeholdersIn(template)) {
    if (!inputs.some((i) => i.name === name)) throw new ManifestError(file, line, `skill "${skill}": the template uses {{${name}}} but no input has that name`);
  }
  for (const input of inputs) {
    for (const other of input.exclusiveWith) {
      if (!inputs.some((i) => i.name === other)) throw new ManifestError(file, line, `skill "${skill}": input ${input.name} is ExclusiveWith ${other}, which is not an input`);
    }
  }
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** Replaces each `{{Name}}` with what `replace` gives for that input name. */
export function substitutePlaceholders(template: string, replace: (name: string) => string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => replace(name));
}

/** The line of the deepest YAML node that exists on `pathInDoc`. */
function lineOfPath(doc: Document, lineCounter: LineCounter, pathInDoc: (string | number)[]): number | undefined {
  for (let n = pathInDoc.length; n >= 0; n--) {
    const node = doc.getIn(pathInDoc.slice(0, n), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** The skill with this name, or undefined. */
export function findSkill(skills: Skill[], name: string): Skill | undefined {
  return skills.find((s) => s.name === name);
}
