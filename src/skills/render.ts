import { analyze, errorsOf, positionOf } from '../kusto/parser.ts';
import { HuntError, InvalidParameterError, KqlSyntaxError } from '../errors.ts';
import { parseValue, toKqlLiteral } from './literals.ts';
import { placeholdersIn, substitutePlaceholders } from './manifest.ts';
import { exclusiveRivals, inputForSlot } from './slots.ts';
import type { Hunt, ParamValue, RenderedHunt, Skill, Slot } from './types.ts';

const hasValue = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);

/**
 * The parameters a hunt runs with: the user's values checked and normalized, plus defaults.
 * A default gives way when an input it is exclusive with has a value (a port list replaces the port range).
 */
export function effectiveParameters(skill: Skill, hunt: Hunt): Record<string, ParamValue> {
  for (const name of Object.keys(hunt.parameters)) {
    if (!skill.inputs.some((i) => i.name === name)) {
      throw new InvalidParameterError(name, `${skill.displayName} has no input named ${name}. Its inputs are ${skill.inputs.map((i) => i.name).join(', ')}.`);
    }
  }
  const given: Record<string, ParamValue> = {};
  for (const input of skill.inputs) {
    const raw = hunt.parameters[input.name];
    const value = hasValue(raw) ? parseValue(input, raw) : undefined;
    if (value !== undefined) given[input.name] = value;
  }
  const result: Record<string, ParamValue> = { ...given };
  for (const input of skill.inputs) {
    const rivals = exclusiveRivals(skill, input);
    const rivalGiven = rivals.find((r) => r in given);
    if (input.name in given && rivalGiven) {
      throw new InvalidParameterError(input.name, `Give either ${input.name} or ${rivalGiven}, not both.`);
    }
    if (!(input.name in result) && input.defaultValue !== undefined && !rivalGiven) {
      const value = parseValue(input, input.defaultValue);
      if (value !== undefined) result[input.name] = value;
    }
    if (input.required && !(input.name in result)) {
      throw new InvalidParameterError(input.name, `${input.name} is required: ${input.description || 'give a value'}.`);
    }
  }
  checkRanges(skill, result);
  return result;
}

function checkRanges(skill: Skill, values: Record<string, ParamValue>): void {
  const bySlot = (slot: Slot) => { const input = inputForSlot(skill, slot); return input && input.name in values ? input : undefined; };
  const pairs: [Slot, Slot, string][] = [['minPort', 'maxPort', 'the lowest port is above the highest'], ['startTime', 'endTime', 'the start is not before the end']];
  for (const [lowSlot, highSlot, problem] of pairs) {
    const low = bySlot(lowSlot);
    const high = bySlot(highSlot);
    if (!low || !high) continue;
    const [a, b] = [values[low.name], values[high.name]];
    const wrong = typeof a === 'number' ? a > (b as number) : Date.parse(String(a)) >= Date.parse(String(b));
    if (wrong) throw new InvalidParameterError(low.name, `${low.name} and ${high.name} don't fit together: ${problem}.`);
  }
}

/**
 * Renders a hunt: each `{{Name}}` becomes one KQL literal of the input's type; a template line that uses an
 * input with no value is left out, so absent options leave no trace. The result is checked by the Kusto parser.
 */
export function renderHunt(skill: Skill, hunt: Hunt): RenderedHunt {
  const parameters = effectiveParameters(skill, hunt);
  const inputs = new Map(skill.inputs.map((i) => [i.name, i]));
  const lines: string[] = [];
  for (const line of skill.template.split('\n')) {
    const names = placeholdersIn(line);
    if (names.some((n) => !(n in parameters))) continue;
    lines.push(substitutePlaceholders(line, (name) => toKqlLiteral(inputs.get(name)!.type, parameters[name])));
  }
  const kql = lines.join('\n');
  checkKql(kql, `the query of ${skill.displayName}`);
  return { kql, parameters };
}

/** Stops a run when the Kusto parser reports an error, with the first error's position. */
export function checkKql(kql: string, what = 'the query'): void {
  const errors = errorsOf(analyze(kql).diagnostics);
  if (errors.length === 0) return;
  const first = errors[0];
  const { line, column } = positionOf(kql, first.start);
  throw new KqlSyntaxError(`The Kusto parser rejects ${what}: ${first.message} (line ${line}, column ${column}).`, errors);
}

/** The skill a hunt names, or a user-facing error listing the skills. */
export function skillFor(skills: Skill[], hunt: Hunt): Skill {
  const skill = skills.find((s) => s.name === hunt.skill);
  if (!skill) throw new HuntError('UnknownSkill', `There is no skill named "${hunt.skill}". Skills: ${skills.map((s) => s.name).join(', ')}.`);
  return skill;
}
