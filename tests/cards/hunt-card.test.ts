import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/summary/summarize.ts';
import { cardToText, huntCard, MAX_CARD_BYTES, noResultsCard, unescapeMarkdown } from '../../src/cards/index.ts';
import type { Hunt, Skill } from '../../src/skills/types.ts';
import type { QueryResult } from '../../src/engines/types.ts';
import { validateCard } from './validate.ts';
import { actionsOf, actionTitled, markdownTexts, nodesOf, renderLikeWebChat, seedSkill } from './helpers.ts';
import { benignRows, result, row, scenarios } from '../summary/fixtures.ts';

const skill = seedSkill();
const hunt: Hunt = { skill: skill.name, parameters: {} };
const KQL = 'DeviceNetworkEvents\n| where Timestamp > ago(7d)\n| where RemotePort >= 1025\n    and RemoteIPType in ("Public")\n| summarize Connections = count() by DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName\n| order by Connections desc';
const opts = { explanation: 'Outbound connections to Public IPs on ports above 1024', title: 'Detect outbound malicious traffic', lookbackText: 'last 7 days' };

const everything = () => result([...benignRows(), ...Object.values(scenarios)]);
const cardFor = (r: QueryResult, o: Partial<Parameters<typeof summarize>[1]> = {}, h: Hunt = hunt, s: Skill = skill) =>
  huntCard(summarize(r, { ...opts, ...o }), { kql: KQL, hunt: h, skill: s }) as unknown as Record<string, unknown>;
const bytes = (card: object) => Buffer.byteLength(JSON.stringify(card), 'utf8');
const submitData = (card: Record<string, unknown>) => nodesOf(card.actions).filter((n) => n.type === 'Action.Submit').map((n) => n.data);

describe('huntCard', () => {
  const card = cardFor(everything());

  it('is a valid Adaptive Card 1.5 for Teams, with a fallback text', () => {
    expect(validateCard(card)).toEqual([]);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', msteams: { width: 'Full' } });
    expect(card.fallbackText).toBe(cardToText(card));
  });

  it('reads the hunt back in one line and gives the totals as facts', () => {
    const text = cardToText(card);
    expect(text).toContain('Outbound connections to Public IPs on ports above 1024 · last 7 days');
    const facts = nodesOf(card).find((n) => n.type === 'FactSet')!.facts as { title: string; value: string }[];
    const byTitle = Object.fromEntries(facts.map((f) => [unescapeMarkdown(f.title), unescapeMarkdown(f.value)]));
    const s = summarize(everything(), opts);
    expect(byTitle.Connections).toBe(s.totals.connections!.toLocaleString('en-US'));
    expect(byTitle.Devices).toBe('6');
    expect(byTitle['Remote IPs']).toBe(String(s.totals.remoteIps));
    expect(byTitle['Time range']).toBe('2024-05-01 08:00 – 2024-05-02 08:25 UTC');
    expect(byTitle.Flagged).toBe('6 groups');
  });

  it('shows the top ports and processes as text bars, longest first', () => {
    const text = cardToText(card);
    const s = summarize(everything(), opts);
    const portLines = text.split('\n').slice(text.split('\n').indexOf('Top remote ports') + 1, text.split('\n').indexOf('Top remote ports') + 1 + s.topPorts.length);
    expect(portLines.map((l) => l.split(' ')[0])).toEqual(s.topPorts.map((p) => p.value));
    const bars = portLines.map((l) => (l.match(/[█▏▎▍▌▋▊▉]+/) ?? [''])[0].length);
    expect(bars).toEqual([...bars].sort((a, b) => b - a));
    expect(bars[0]).toBe(12);
    expect(nodesOf(card).some((n) => String(n.type).startsWith('Chart.'))).toBe(false);
  });

  it('lists the page in a Table, flagged rows first, marked, with their reasons below', () => {
    const tableNode = nodesOf(card).find((n) => n.type === 'Table')!;
    const rows = tableNode.rows as { style?: string; cells: { items: { text: string }[] }[] }[];
    expect(rows).toHaveLength(11);
    const firstCells = rows.slice(1).map((r) => r.cells[0].items[0].text);
    expect(firstCells.slice(0, 6).every((t) => t.startsWith('⚠ '))).toBe(true);
    expect(rows.slice(1, 7).every((r) => r.style === 'attention')).toBe(true);
    expect(firstCells.slice(6).some((t) => t.startsWith('⚠'))).toBe(false);
    const text = cardToText(card);
    expect(text).toContain('• Beaconing every ~5 min (48 connections at regular intervals)');
    expect(text).toContain('⚠ WS-0006 → 192.0.2.10:4444 · powershell.exe');
    expect(text).toContain('Command line: powershell.exe -nop -w hidden -enc');
  });

  it('offers follow-ups, next page, Show KQL and Refine, at most 6 as buttons', () => {
    const { primary, secondary } = actionsOf(card);
    expect(primary).toHaveLength(6);
    expect(secondary.length).toBeGreaterThan(0);
    expect(secondary.every((a) => a.type === 'Action.Submit')).toBe(true);
    const s = summarize(everything(), opts);
    expect(submitData(card)).toEqual([
      { verb: 'nextPage', text: 'next page' },
      { verb: 'refine' }, // the Refine box's button
      { verb: 'refine', text: `exclude ${s.topProcesses[0].value}` },
      { verb: 'refine', text: `only port ${s.topPorts[0].value}` },
      { verb: 'refine', text: `only device ${s.flagged[0].DeviceName}` },
      { verb: 'refine', text: 'last 24 hours' },
    ]);
  });

  it('shows the exact query in monospace under Show KQL', () => {
    const show = actionTitled(card, 'Show KQL') as { type: string; card: Record<string, unknown> };
    expect(show.type).toBe('Action.ShowCard');
    const blocks = nodesOf(show.card).filter((n) => n.type === 'TextBlock' && n.fontType === 'Monospace');
    expect(blocks.every((b) => b.wrap === true)).toBe(true);
    expect(cardToText(show.card).split('\n').slice(1).join('\n')).toBe(KQL);
  });

  it('has a Refine box whose text the bot reads as value.text', () => {
    const refine = actionTitled(card, 'Refine') as { card: Record<string, unknown> };
    const input = nodesOf(refine.card).find((n) => n.type === 'Input.Text')!;
    expect(input.id).toBe('text');
    expect(nodesOf(refine.card).find((n) => n.type === 'Action.Submit')!.data).toEqual({ verb: 'refine' });
  });

  it('pages: page 2 shows other groups and the last page has no Next page', () => {
    const text1 = cardToText(cardFor(everything()));
    const page2 = cardFor(everything(), { page: 2 });
    const text2 = cardToText(page2);
    expect(validateCard(page2)).toEqual([]);
    expect(text2).not.toEqual(text1);
    expect(text2).toContain('Groups 11–20 of 43 · page 2 of 5');
    expect(text2).toContain('  › next page');
    const last = cardFor(everything(), { page: 5 });
    expect(cardToText(last)).toContain('Groups 41–43 of 43 · page 5 of 5');
    expect(submitData(last)).not.toContainEqual({ verb: 'nextPage', text: 'next page' });
  });

  it('leaves out follow-ups that would change nothing or that the skill cannot do', () => {
    const oneDevice = result(benignRows().filter((r) => r.DeviceName === 'WS-0001'));
    const texts = submitData(cardFor(oneDevice, {}, { skill: skill.name, parameters: { Lookback: '24h' } })).map((d) => (d as { text?: string }).text);
    expect(texts).not.toContain('last 24 hours');
    expect(texts.some((t) => t?.startsWith('only device'))).toBe(false);
    expect(texts.some((t) => t?.startsWith('exclude'))).toBe(true);

    const bare: Skill = { ...skill, inputs: skill.inputs.filter((i) => i.slot !== 'excludeProcesses' && i.slot !== 'ports') };
    const bareTexts = submitData(cardFor(everything(), {}, hunt, bare)).map((d) => (d as { text?: string }).text);
    expect(bareTexts.some((t) => t?.startsWith('exclude') || t?.startsWith('only port'))).toBe(false);
    expect(bareTexts).toContain('last 24 hours');
  });

  it('shows telemetry as text: a process named like a markdown link is not a link', () => {
    const evil = row({ DeviceName: '**WS-0099**', RemoteIP: '203.0.113.9', RemotePort: 4444, InitiatingProcessFileName: '[click](http://evil)', ProcessCommandLine: '<img src=x onerror=alert(1)> {{DATE(2017-02-14T06:08:39Z, SHORT)}}' });
    const c = cardFor(result([...benignRows(), evil]));
    expect(validateCard(c)).toEqual([]);
    for (const t of markdownTexts(c)) {
      const html = renderLikeWebChat(t);
      expect(html, t).not.toMatch(/<(a|strong|em|img|h\d|ol|ul|li|code|pre|blockquote)\b/);
      expect(t).not.toContain('{{');
    }
    const text = cardToText(c);
    expect(text).toContain('⚠ **WS-0099** → 203.0.113.9:4444 · [click](http://evil)');
    expect(text).toContain('Command line: <img src=x onerror=alert(1)> {{DATE(2017-02-14T06:08:39Z, SHORT)}}');
  });

  it('stays under 80 KB with 500 groups, dropping rows (and saying so) for a long page', () => {
    const many = Array.from({ length: 500 }, (_, i) => row({
      DeviceName: `workstation-${i}.${'sub.'.repeat(12)}contoso.example`, RemoteIP: `198.51.${i % 250}.${i % 200}`, RemotePort: 4444 + (i % 3),
      InitiatingProcessFileName: `${'very-long-process-name-'.repeat(3)}${i}.exe`, Connections: 1000 - i,
      ProcessCommandLine: `"C:\\Program Files\\${'x'.repeat(200)}" --token ${'y'.repeat(300)}`,
    }));
    const normal = cardFor(result(many));
    expect(bytes(normal)).toBeLessThan(MAX_CARD_BYTES);
    expect(cardToText(normal)).toContain('Groups 1–10 of 500 · page 1 of 50');
    expect(validateCard(normal)).toEqual([]);

    const big = cardFor(result(many), { pageSize: 100 });
    expect(bytes(big)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(validateCard(big)).toEqual([]);
    const rowsShown = (nodesOf(big).find((n) => n.type === 'Table')!.rows as unknown[]).length - 1;
    expect(rowsShown).toBeGreaterThan(10);
    expect(rowsShown).toBeLessThan(100);
    expect(cardToText(big)).toContain(`Showing ${rowsShown} of this page's 100 groups to stay under Teams' card size limit`);
  });

  it('warns when the engine cut the result or returned a partial one', () => {
    const text = cardToText(cardFor(result(benignRows(), { truncated: true, partialError: 'Query exceeded the timeout period.' })));
    expect(text).toContain('The engine stopped at 37 result rows, so the totals cover only those: narrow the hunt to see everything.');
    expect(text).toContain('Partial result: Query exceeded the timeout period.');
  });

  it('shows any other result as a plain table of its first columns', () => {
    const columns = ['Timestamp', 'DeviceName', 'FileName', 'SHA256', 'Tags', 'Extra', 'Hidden'].map((name) => ({ name, type: 'string' }));
    const rows = Array.from({ length: 12 }, (_, i) => ({
      Timestamp: `2024-05-01T10:0${i % 10}:00Z`, DeviceName: `WS-${i}`, FileName: `f${i}.exe`, SHA256: 'ab'.repeat(32), Tags: ['a', 'b'], Extra: { k: i }, Hidden: 'not shown',
    }));
    const c = cardFor({ columns, rows, truncated: false, elapsedMs: 1 });
    expect(validateCard(c)).toEqual([]);
    const text = cardToText(c);
    expect(text).toMatch(/Rows:\s+12/);
    expect(text).toMatch(/^Timestamp\s+DeviceName\s+FileName\s+SHA256\s+Tags\s+Extra$/m);
    expect(text).toContain('2024-05-01 10:00  WS-0');
    expect(text).toContain('a, b');
    expect(text).not.toContain('not shown');
    expect(text).toContain('Groups 1–10 of 12 · page 1 of 2');
  });
});

describe('noResultsCard', () => {
  const empty = summarize(result([]), opts);

  it('says nothing matched and offers a longer lookback and private IPs', () => {
    const c = noResultsCard(empty, { kql: KQL, hunt, skill }) as unknown as Record<string, unknown>;
    expect(validateCard(c)).toEqual([]);
    expect(cardToText(c)).toContain('Nothing matched this hunt.');
    expect(submitData(c)).toEqual([
      { verb: 'refine', text: 'last 30 days' },
      { verb: 'refine', text: 'include private IPs too' },
      { verb: 'refine' },
    ]);
    expect(actionTitled(c, 'Show KQL').type).toBe('Action.ShowCard');
  });

  it('offers to drop the filters the user set, first, and names them', () => {
    const narrow: Hunt = { skill: skill.name, parameters: { DeviceName: 'WS-9999', ExcludeRemotePorts: [8080], Lookback: '30d' } };
    const c = noResultsCard(empty, { kql: KQL, hunt: narrow, skill }) as unknown as Record<string, unknown>;
    expect(validateCard(c)).toEqual([]);
    expect(submitData(c)).toEqual([
      { verb: 'refine', text: 'drop the device filter' },
      { verb: 'refine', text: 'drop the port filter' },
      { verb: 'refine', text: 'include private IPs too' },
      { verb: 'refine' },
    ]);
    expect(cardToText(c)).toContain('Check the device and port you asked for');
  });

  it('does not offer what the hunt already has', () => {
    const wide: Hunt = { skill: skill.name, parameters: { Lookback: '30d', RemoteIPTypes: ['Public', 'Private'] } };
    const c = noResultsCard(empty, { kql: KQL, hunt: wide, skill }) as unknown as Record<string, unknown>;
    expect(submitData(c)).toEqual([{ verb: 'refine' }]);
    expect(cardToText(c)).toContain('Refine it in your own words, or ask something else.');
  });
});
