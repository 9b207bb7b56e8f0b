import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../src/errors.ts';
import { kindName, kusto } from '../../src/kusto/parser.ts';
import { loadSkills } from '../../src/skills/manifest.ts';
import { renderHunt } from '../../src/skills/render.ts';
import type { InputType, ParamValue, SkillInput } from '../../src/skills/types.ts';

const seed = loadSkills().skills.find((s) => s.name === 'Detect outbound malicious traffic')!;

/** The syntax tree's node kinds in order: the same list means the same operators, clauses and expressions. */
function shape(kql: string): string[] {
  const K = kusto();
  const kinds: string[] = [];
  K.Syntax.SyntaxElement.WalkNodes(K.KustoCode.Parse(kql).Syntax, (node: unknown) => { kinds.push(kindName(node)); });
  return kinds;
}

const NASTY = [
  '"; DeviceProcessEvents | take 1 //', "'; DeviceProcessEvents | take 1 //", '\\', '\\"', '"', "'", '|', '||', '\n| take 1',
  '\r\n', '\t', '//', '/*', '*/', '{{Lookback}}', '$left', ')', '(', ']', '[', 'dynamic([1])', '@"x"', '```', 'h"secret"',
  'é', '😀', '\u202e', '\u2028', '\ufeff', 'ＤｅｖｉｃｅＰｒｏｃｅｓｓＥｖｅｎｔｓ', '0x7fffffff', '-1', '1e9', '7d', 'NaN', 'null',
];
const nastyText = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.array(fc.constantFrom(...NASTY), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('')),
);

const BENIGN: Record<InputType, ParamValue> = {
  string: 'ws-0042', 'string[]': ['chrome.exe', 'teams.exe'], int: 2000, 'int[]': [4444, 8443],
  timespan: '24h', datetime: '2026-11-01T00:00:00Z', ip: '203.0.113.7', 'ip[]': ['203.0.113.7', '198.51.100.0/24'],
};

// Adversarial values of the same shape as the benign ones (same list lengths), so only escaping can differ.
function adversarial(input: SkillInput): fc.Arbitrary<unknown> {
  const benign = BENIGN[input.type];
  if (input.allowedValues) return fc.array(fc.oneof(nastyText, fc.constantFrom(...input.allowedValues)), { minLength: 2, maxLength: 2 });
  if (Array.isArray(benign)) return fc.array(fc.oneof(nastyText, fc.integer()), { minLength: benign.length, maxLength: benign.length });
  return fc.oneof(nastyText, fc.integer(), fc.double());
}

/** A benign value shaped like `like` (lists normalize: blanks and duplicates go, so compare at the same length). */
function benignLike(input: SkillInput, like: ParamValue | undefined): ParamValue {
  const benign = input.allowedValues ? input.allowedValues : BENIGN[input.type];
  if (!Array.isArray(benign)) return benign;
  const length = Array.isArray(like) ? like.length : benign.length;
  return Array.from({ length }, (_, i) => (input.type === 'int[]' ? 1000 + i : input.type === 'ip[]' ? `192.0.2.${i}` : input.allowedValues ? input.allowedValues[i] : `b${i}.exe`)) as ParamValue;
}

describe('rendering is injection-proof', () => {
  for (const input of seed.inputs) {
    it(`keeps the query's syntax tree for any value of ${input.name} (${input.type})`, () => {
      const render = (value: unknown) => renderHunt(seed, { skill: seed.name, parameters: { [input.name]: value as ParamValue } });
      let rendered = 0;
      fc.assert(fc.property(adversarial(input), (value) => {
        let result: ReturnType<typeof render>;
        try {
          result = render(value);
        } catch (e) {
          // Refusing a value is fine; the message must name the input.
          expect(e).toBeInstanceOf(InvalidParameterError);
          expect((e as InvalidParameterError).userMessage).toContain(input.name);
          return;
        }
        rendered++;
        const normalized = result.parameters[input.name];
        const benign = normalized === undefined ? render(undefined) : render(benignLike(input, normalized));
        expect(shape(result.kql)).toEqual(shape(benign.kql));
      }), { numRuns: 40, seed: 20261204 });
      if (input.type === 'string' || (input.type === 'string[]' && !input.allowedValues)) expect(rendered).toBeGreaterThan(10);
    });
  }
});
