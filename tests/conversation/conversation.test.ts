// The conversation state machine with the real skills, renderer, summary and cards, a scripted mapper
// (so each turn's MapResult is known) and a fake engine that records the KQL it is asked to run.
import { describe, expect, it, vi } from 'vitest';
import { handleTurn, type ConversationData, type ConversationDeps } from '../../src/conversation/conversation.ts';
import { loadSkills } from '../../src/skills/manifest.ts';
import { renderHunt } from '../../src/skills/render.ts';
import { validateCard } from '../cards/validate.ts';
import { tableOf } from '../e2e/helpers.ts';
import type { MapContext, MapResult } from '../../src/nlu/types.ts';
import type { QueryResult } from '../../src/engines/types.ts';
import type { Hunt } from '../../src/skills/types.ts';

const { skills } = loadSkills();
const SKILL = skills[0].name;
const NOW = new Date('2026-12-04T12:00:00Z');
const BASE: Hunt = { skill: SKILL, parameters: {} };
/** The rendered exclusion, however the renderer spells a list literal. */
const EXCLUDES_POWERSHELL = /InitiatingProcessFileName !in~ \((dynamic\(\[)?"powershell\.exe"/;
const NO_POWERSHELL: Hunt = { skill: SKILL, parameters: { ExcludeProcesses: ['powershell.exe'] } };

const COLUMNS = ['DeviceName', 'RemoteIP', 'RemotePort', 'InitiatingProcessFileName', 'Connections', 'FirstSeen', 'LastSeen',
  'ProcessCommandLine', 'Account', 'ParentProcessFileName', 'ActionTypes', 'ConnectionTimes'];

/** `groups` result rows shaped like the seed skill's output, on distinct devices and ports. */
function rows(groups: number): QueryResult {
  return {
    columns: COLUMNS.map((name) => ({ name, type: /Seen$/.test(name) ? 'datetime' : name === 'RemotePort' || name === 'Connections' ? 'long' : /Times|Types/.test(name) ? 'dynamic' : 'string' })),
    rows: Array.from({ length: groups }, (_, i) => ({
      DeviceName: `ws-${String(i).padStart(3, '0')}`, RemoteIP: `198.51.100.${i + 1}`, RemotePort: 2000 + i,
      InitiatingProcessFileName: i % 2 ? 'chrome.exe' : 'teams.exe', Connections: 50 - i,
      FirstSeen: '2026-12-01T00:00:00Z', LastSeen: '2026-12-03T00:00:00Z', ProcessCommandLine: 'app.exe', Account: 'corp\\user',
      ParentProcessFileName: 'explorer.exe', ActionTypes: ['ConnectionSuccess'], ConnectionTimes: ['2026-12-01T00:00:00Z'],
    })),
    truncated: false,
    elapsedMs: 1,
  };
}

function setup(opts: { groups?: number; engineError?: Error } = {}) {
  const queries: string[] = [];
  const mapCalls: { text: string; ctx: MapContext }[] = [];
  const script: Record<string, MapResult> = {
    'outbound traffic': { kind: 'hunt', hunt: BASE, explanation: 'outbound', confidence: 0.9 },
    'exclude powershell.exe': { kind: 'hunt', hunt: NO_POWERSHELL, explanation: 'outbound without powershell', confidence: 0.9 },
    'ports up to 70000': { kind: 'hunt', hunt: { skill: SKILL, parameters: { MaxRemotePort: 70000 } }, explanation: 'bad', confidence: 0.9 },
    'next page': { kind: 'command', command: 'nextPage', explanation: 'next page' },
    'show query': { kind: 'command', command: 'showQuery', explanation: 'show query' },
    reset: { kind: 'command', command: 'reset', explanation: 'reset' },
    help: { kind: 'command', command: 'help', explanation: 'help' },
    'what?': { kind: 'clarify', message: 'Which devices do you mean?', suggestions: ['only device ws-001'] },
  };
  const errors: Record<string, unknown>[] = [];
  const deps: ConversationDeps = {
    skills,
    maxRows: 1000,
    mapper: {
      map: async (text, ctx) => {
        mapCalls.push({ text, ctx });
        const result = script[text];
        if (!result) throw new Error(`unscripted: ${text}`);
        return result;
      },
    },
    engine: {
      name: 'fake',
      run: async (kql) => {
        queries.push(kql);
        if (opts.engineError) throw opts.engineError;
        return rows(opts.groups ?? 25);
      },
    },
    log: { info: () => {}, error: (_message, fields) => { errors.push(fields ?? {}); } },
  };
  let state: ConversationData = {};
  const turn = async (input: { text?: string; value?: Record<string, unknown> }) => {
    const outcome = await handleTurn(deps, state, { ...input, now: NOW });
    for (const reply of outcome.replies) if (reply.card) expect(validateCard(reply.card)).toEqual([]);
    state = outcome.state;
    return { ...outcome, texts: outcome.replies.map((r) => r.text).join('\n') };
  };
  return { turn, queries, mapCalls, errors, state: () => state };
}

describe('handleTurn', () => {
  it('starts a hunt: runs the rendered KQL and remembers the hunt, page 1 and the totals only', async () => {
    const t = setup();
    const { replies, texts } = await t.turn({ text: 'outbound traffic' });
    expect(t.queries).toEqual([renderHunt(skills[0], BASE).kql]);
    expect(replies).toHaveLength(1);
    expect(texts).toContain('ws-000');
    expect(t.state()).toEqual({ hunt: BASE, page: 1, last: expect.objectContaining({ groups: 25, pageCount: 3 }) });
    expect(JSON.stringify(t.state()).length).toBeLessThan(1000);
    expect(JSON.stringify(t.state())).not.toContain('198.51.100');
  });

  it('pages by re-running the same hunt, from typed text and from the card button, and stops at the last page', async () => {
    const t = setup();
    await t.turn({ text: 'outbound traffic' });
    const second = await t.turn({ text: 'next page' });
    expect(t.state().page).toBe(2);
    const devices = tableOf(second.replies[0].card!).slice(1).map((row) => row[0].replace(/^⚠ /, ''));
    expect(devices).toHaveLength(10);
    expect(devices).toContain('ws-010');
    expect(devices).not.toContain('ws-000');
    await t.turn({ text: '', value: { verb: 'nextPage', text: 'next page' } });
    expect(t.state().page).toBe(3);
    expect(new Set(t.queries).size).toBe(1);
    expect(t.queries).toHaveLength(3);
    const past = await t.turn({ value: { verb: 'nextPage' } });
    expect(past.texts).toMatch(/last page/);
    expect(t.queries).toHaveLength(3);
    expect(t.state().page).toBe(3);
  });

  it('reads card values through the mapper as follow-ups of the current hunt; "ask" buttons start over', async () => {
    const t = setup();
    await t.turn({ text: 'outbound traffic' });
    await t.turn({ text: '', value: { verb: 'refine', text: 'exclude powershell.exe' } });
    expect(t.mapCalls[1]).toEqual({ text: 'exclude powershell.exe', ctx: { current: BASE, now: NOW } });
    expect(t.state()).toMatchObject({ hunt: NO_POWERSHELL, page: 1 });
    expect(t.queries[1]).toMatch(EXCLUDES_POWERSHELL);
    await t.turn({ value: { verb: 'ask', text: 'outbound traffic' } });
    expect(t.mapCalls[2].ctx.current).toBeUndefined();
  });

  it('answers commands without running anything: show query, help, reset', async () => {
    const t = setup();
    await t.turn({ text: 'exclude powershell.exe' });
    const query = await t.turn({ text: 'show query' });
    expect(query.texts).toMatch(EXCLUDES_POWERSHELL);
    expect((await t.turn({ text: 'help' })).texts).toContain(skills[0].displayName);
    expect((await t.turn({ text: '   ' })).texts).toContain(skills[0].examplePrompts[0]);
    expect(t.queries).toHaveLength(1);
    expect(t.state().hunt).toEqual(NO_POWERSHELL);
    await t.turn({ text: 'reset' });
    expect(t.state()).toEqual({});
  });

  it('asks back, and keeps the hunt while it does', async () => {
    const t = setup();
    await t.turn({ text: 'outbound traffic' });
    const before = t.state();
    const { texts } = await t.turn({ text: 'what?' });
    expect(texts).toContain('Which devices do you mean?');
    expect(texts).toContain('only device ws-001');
    expect(t.state()).toBe(before);
  });

  it('"next page" or "show query" with no hunt yet suggests a first question', async () => {
    const t = setup();
    const { texts } = await t.turn({ text: 'next page' });
    expect(texts).toContain('no hunt');
    expect(texts).toContain(skills[0].examplePrompts[0]);
    expect(t.queries).toHaveLength(0);
  });

  it('a value the user got wrong gives its message and a hint, and the previous hunt stays', async () => {
    const t = setup();
    await t.turn({ text: 'outbound traffic' });
    const { texts } = await t.turn({ text: 'ports up to 70000' });
    expect(texts).toMatch(/MaxRemotePort/);
    expect(texts).toMatch(/Change that value/);
    expect(t.state().hunt).toEqual(BASE);
  });

  it('an unexpected failure is logged with a correlation id and answered with an apology, never the stack', async () => {
    const error = new Error('socket hang up at 10.0.0.5');
    const t = setup({ engineError: error });
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { texts } = await t.turn({ text: 'outbound traffic' });
    spy.mockRestore();
    const id = /Reference: ([0-9a-f-]{36})/.exec(texts)?.[1];
    expect(id).toBeDefined();
    expect(t.errors).toEqual([expect.objectContaining({ correlationId: id, stack: error.stack })]);
    expect(texts).not.toContain('socket hang up');
    expect(texts).not.toContain('conversation.test.ts');
    expect(t.state()).toEqual({});
  });

  it('an empty result says so and offers to widen the hunt', async () => {
    const t = setup({ groups: 0 });
    const { texts } = await t.turn({ text: 'outbound traffic' });
    expect(texts).toContain('Nothing matched');
    expect(texts).toMatch(/Last 30 days/i);
    expect(t.state().last).toMatchObject({ groups: 0 });
  });
});
