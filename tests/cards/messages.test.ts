import { describe, expect, it } from 'vitest';
import { cardToText, clarifyCard, errorCard, helpCard, MAX_CARD_BYTES, queryCard, welcomeCard } from '../../src/cards/index.ts';
import type { Skill } from '../../src/skills/types.ts';
import { validateCard } from './validate.ts';
import { actionsOf, nodesOf, seedSkill } from './helpers.ts';

const seed = seedSkill();
const other: Skill = {
  ...seed,
  name: 'Rare parent processes',
  displayName: 'Rare parent processes',
  description: 'Processes started by an unusual parent (e.g. Office starting a shell).',
  examplePrompts: ['Which processes have a rare parent?', 'Show shells started by Office apps'],
};
const bytes = (card: object) => Buffer.byteLength(JSON.stringify(card), 'utf8');
const asJson = (card: object) => card as unknown as Record<string, unknown>;
const submits = (card: object) => nodesOf(card).filter((n) => n.type === 'Action.Submit').map((n) => n.data);

describe('errorCard', () => {
  it('tells the user what to do about an error they can fix', () => {
    const c = errorCard('Port 70000 is out of range (0-65535).', { hint: 'Change that value and ask again.' });
    expect(validateCard(c)).toEqual([]);
    expect(cardToText(c)).toBe('Port 70000 is out of range (0-65535).\nChange that value and ask again.\n\nTry:\n  › help');
  });

  it('apologizes with the correlation id for anything else', () => {
    const c = errorCard('Sorry, something went wrong while running this hunt.', { hint: 'Try again in a moment.', correlationId: '3f1c2a9e-8d4b-4a55-9a0e-5b6c7d8e9f00' });
    expect(validateCard(c)).toEqual([]);
    expect(cardToText(c)).toContain('Reference: 3f1c2a9e-8d4b-4a55-9a0e-5b6c7d8e9f00');
    expect(c.fallbackText).toContain('Sorry, something went wrong');
  });
});

describe('helpCard and welcomeCard', () => {
  it('lists every skill with its example prompts as buttons that ask them', () => {
    const c = helpCard([seed, other]);
    expect(validateCard(c)).toEqual([]);
    const text = cardToText(c);
    expect(text).toContain('Detect outbound malicious traffic');
    expect(text).toContain('Rare parent processes');
    expect(submits(c)).toEqual([...seed.examplePrompts, ...other.examplePrompts].map((p) => ({ verb: 'ask', text: p })));
  });

  it('stays under 80 KB with many skills, and says how many it left out', () => {
    const skills = Array.from({ length: 300 }, (_, i) => ({ ...other, name: `s${i}`, displayName: `Skill number ${i}`, description: 'd'.repeat(400) }));
    const c = helpCard(skills);
    expect(bytes(c)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(validateCard(c)).toEqual([]);
    const shown = nodesOf(c).filter((n) => n.type === 'Container').length;
    expect(shown).toBeLessThan(300);
    expect(cardToText(c)).toContain(`And ${300 - shown} more: ask for them by name.`);
  });

  it('welcomes with three example prompts, from different skills first, and a help button', () => {
    const c = welcomeCard([seed, other]);
    expect(validateCard(c)).toEqual([]);
    expect(submits(c)).toEqual([
      { verb: 'ask', text: seed.examplePrompts[0] },
      { verb: 'ask', text: other.examplePrompts[0] },
      { verb: 'ask', text: seed.examplePrompts[1] },
      { verb: 'ask', text: 'help' },
    ]);
  });
});

describe('queryCard', () => {
  it('shows the exact query, line by line, in monospace', () => {
    const kql = seed.template;
    const c = queryCard(kql, 'Outbound connections to Public IPs on ports above 1024 · last 7 days');
    expect(validateCard(c)).toEqual([]);
    const text = cardToText(c);
    expect(text.startsWith('The query\nOutbound connections to Public IPs on ports above 1024 · last 7 days\n')).toBe(true);
    expect(text.split('\n').slice(2).join('\n')).toBe(kql);
    expect(nodesOf(c).filter((n) => n.fontType === 'Monospace')).toHaveLength(kql.split('\n').length);
  });

  it('cuts a query too long for a card, and says so', () => {
    const kql = Array.from({ length: 5000 }, (_, i) => `| where RemotePort != ${i} // line ${i}`).join('\n');
    const c = queryCard(kql, 'A long one');
    expect(bytes(c)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(validateCard(c)).toEqual([]);
    expect(cardToText(c)).toMatch(/The query is too long for a card: these are its first \d+ of 5000 lines\./);
  });
});

describe('clarifyCard', () => {
  it('asks back with the suggestions as buttons, extra ones in the overflow menu', () => {
    const suggestions = ['only port 4444', 'only port 8443', 'exclude teams.exe', 'last 24 hours', 'last 7 days', 'only device WS-0042', 'next page'];
    const c = clarifyCard('Which port did you mean?', suggestions);
    expect(validateCard(c)).toEqual([]);
    expect(submits(c)).toEqual(suggestions.map((s) => ({ verb: 'refine', text: s })));
    const { primary, secondary } = actionsOf(asJson(c));
    expect(primary).toHaveLength(6);
    expect(secondary.map((a) => a.title)).toEqual(['next page']);
    expect(cardToText(c)).toContain('Which port did you mean?\n\nTry:\n  › only port 4444');
  });
});

describe('validateCard', () => {
  const ok = { type: 'AdaptiveCard', version: '1.5', msteams: { width: 'Full' }, body: [{ type: 'TextBlock', text: 'hi' }] };

  it('accepts a valid card with the Teams width key', () => {
    expect(validateCard(ok)).toEqual([]);
  });

  it('reports schema violations and elements the renderer does not know', () => {
    expect(validateCard({ ...ok, body: [{ type: 'TextBlock', text: 'hi', colour: 'red' }] }).some((p) => p.startsWith('schema:'))).toBe(true);
    expect(validateCard({ ...ok, extra: true }).some((p) => p.startsWith('schema:'))).toBe(true);
    const chart = validateCard({ ...ok, body: [{ type: 'Chart.VerticalBar', data: [] }] });
    expect(chart.some((p) => p.startsWith('adaptivecards:') && p.includes('Chart.VerticalBar'))).toBe(true);
  });
});
