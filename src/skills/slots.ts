import type { Skill, SkillInput, Slot } from './types.ts';

/** The skill's input that a slot fills, if it has one. */
export function inputForSlot(skill: Skill, slot: Slot): SkillInput | undefined {
  return skill.inputs.find((i) => i.slot === slot);
}

/** Inputs that cannot be combined with this one, whichever side declared `ExclusiveWith`. */
export function exclusiveRivals(skill: Skill, input: SkillInput): string[] {
  const declaredThere = skill.inputs.filter((i) => i.exclusiveWith.includes(input.name)).map((i) => i.name);
  return [...new Set([...input.exclusiveWith, ...declaredThere])];
}
