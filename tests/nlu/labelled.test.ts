import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSkills } from '../../src/skills/manifest.ts';
import type { Hunt, ParamValue } from '../../src/skills/types.ts';
import { createRulesMapper } from '../../src/nlu/rulesMapper.ts';

// The labelled set: each prompt with the exact result the mapper must give (parameters compared exactly).
interface Labelled {
  text: string;
  context?: Hunt;
  note?: string;
  expect:
    | { kind: 'hunt'; skill: string; parameters: Record<string, ParamValue> }
    | { kind: 'command'; command: string }
    | { kind: 'clarify'; messageIncludes: string };
}
const set = JSON.parse(readFileSync(new URL('./labelled-prompts.json', import.meta.url), 'utf8')) as { now: string; prompts: Labelled[] };
const now = new Date(set.now);
const mapper = createRulesMapper(loadSkills().skills);

describe('labelled prompts', () => {
  it('has at least 150 prompts, with follow-ups, commands and clarifications', () => {
    expect(set.prompts.length).toBeGreaterThanOrEqual(150);
    expect(set.prompts.filter((p) => p.context).length).toBeGreaterThanOrEqual(30);
    expect(set.prompts.filter((p) => p.expect.kind === 'command').length).toBeGreaterThanOrEqual(10);
    expect(set.prompts.filter((p) => p.expect.kind === 'clarify').length).toBeGreaterThanOrEqual(15);
  });

  it.each(set.prompts.map((p, i) => [`${i + 1}: ${p.context ? '(follow-up) ' : ''}${JSON.stringify(p.text)}`, p] as const))('%s', async (_, p) => {
    const result = await mapper.map(p.text, { now, current: p.context });
    const e = p.expect;
    if (e.kind === 'hunt') {
      expect(result).toMatchObject({ kind: 'hunt', hunt: { skill: e.skill } });
      if (result.kind !== 'hunt') return;
      expect(result.hunt.parameters).toStrictEqual(e.parameters);
      expect(result.explanation.length).toBeGreaterThan(0);
      expect(result.confidence).toBeGreaterThan(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
    } else if (e.kind === 'command') {
      expect(result).toMatchObject({ kind: 'command', command: e.command });
    } else {
      expect(result.kind).toBe('clarify');
      if (result.kind === 'clarify') expect(result.message).toContain(e.messageIncludes);
    }
  });
});
