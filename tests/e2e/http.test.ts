// The real server over HTTP: Activities POSTed to /api/messages as a channel would, the bot's replies
// recorded by a local connector, the real pipeline behind it (rules mapper, local engine over a
// generated sample, summary, cards). Every card is checked against the Adaptive Card 1.5 schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startApp, type App } from '../../src/server/app.ts';
import { ensureDefaultSample, type GroundTruthEntry } from '../../src/sample/index.ts';
import { loadSkills } from '../../src/skills/manifest.ts';
import { cardToText } from '../../src/cards/index.ts';
import { validateCard } from '../cards/validate.ts';
import { BOT, type ActivityOptions, cardOf, kqlOf, membersAdded, message, send, startConnector, submitsOf, tableOf, tempDir, testConfig } from './helpers.ts';

const SEED_PROMPT = 'List devices connecting to public IPs on ports above 1024';
/** The rendered list filters, however the renderer spells a list literal (`("a")` or `(dynamic(["a"]))`). */
const EXCLUDES_POWERSHELL = /InitiatingProcessFileName !in~ \((dynamic\(\[)?"powershell\.exe"/;
const onlyPort = (port: string) => new RegExp(`RemotePort in \\((dynamic\\(\\[)?${port}\\b`);
const { skills } = loadSkills();

let app: App;
let connector: Awaited<ReturnType<typeof startConnector>>;
let dataDir: string;
let conversations = 0;

beforeAll(async () => {
  [connector, dataDir] = await Promise.all([startConnector(), ensureDefaultSample(tempDir('sample'))]);
  app = await startApp(testConfig({ LOCAL_DATA_DIR: dataDir }));
});
afterAll(async () => {
  await app?.close();
  await connector?.close();
});

/** A conversation of its own per test, so state from one test never leaks into another. */
function conversation(extra: { conversationType?: 'personal' | 'channel' } = {}) {
  const conversationId = `a:conv-${++conversations}`;
  const say = async (text: string, more: Partial<ActivityOptions> = {}) => {
    const { status, messages } = await send(app.url, connector, message(text, { conversationId, serviceUrl: connector.url, ...extra, ...more }));
    expect(status).toBe(200);
    expect(messages).toHaveLength(1);
    const card = cardOf(messages[0]);
    expect(validateCard(card)).toEqual([]);
    return { card, text: cardToText(card), activity: messages[0] };
  };
  return { conversationId, say };
}

describe('HTTP end to end', () => {
  it('GET /healthz reports the engine and the skills', async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', engine: 'local', skills: skills.length, version: expect.any(String) });
  });

  it.each(skills[0].examplePrompts)('answers the seed example prompt "%s" with a hunt card', async (prompt) => {
    const { card, text } = await conversation().say(prompt);
    expect(text).toContain(skills[0].displayName);
    const rows = tableOf(card);
    expect(rows[0]).toEqual(expect.arrayContaining(['Device', 'Remote IP', 'Port', 'Process']));
    expect(rows.length).toBeGreaterThan(1);
    const kql = kqlOf(card);
    expect(kql).toMatch(/^DeviceNetworkEvents/m);
    // Every port in the table passes the query's own port filter.
    const minPort = /RemotePort >= (\d+)/.exec(kql)?.[1];
    if (minPort) for (const row of rows.slice(1)) expect(Number(row[2])).toBeGreaterThanOrEqual(Number(minPort));
  });

  it('flags every injected scenario of the sample that the seed hunt covers, first in the table', async () => {
    const truth: { scenarios: GroundTruthEntry[] } = JSON.parse(readFileSync(path.join(dataDir, 'ground-truth.json'), 'utf8'));
    const covered = truth.scenarios.filter((s) => s.remotePort > 1024);
    expect(covered.length).toBeGreaterThan(0);
    const { card } = await conversation().say(SEED_PROMPT);
    const rows = tableOf(card).slice(1);
    const flagged = rows.filter((r) => r[0].startsWith('⚠')).map((r) => [r[0].replace(/^⚠\s*/, ''), r[1], r[2], r[3]].join(' '));
    for (const s of covered) expect(flagged).toContain([s.device, s.remoteIp, String(s.remotePort), s.process].join(' '));
    // Flagged rows come first.
    expect(rows.slice(0, flagged.length).every((r) => r[0].startsWith('⚠'))).toBe(true);
  });

  it('three turns: a hunt, then two follow-ups that each narrow the one before', async () => {
    const c = conversation();
    const first = await c.say(SEED_PROMPT);
    const firstKql = kqlOf(first.card);
    expect(firstKql).toContain('RemotePort >= 1025');
    expect(tableOf(first.card).slice(1).some((r) => r[3].toLowerCase() === 'powershell.exe')).toBe(true);

    const second = await c.say('exclude powershell.exe');
    const secondKql = kqlOf(second.card);
    expect(secondKql).toMatch(EXCLUDES_POWERSHELL);
    expect(secondKql).toContain('RemotePort >= 1025');
    expect(tableOf(second.card).slice(1).every((r) => r[3].toLowerCase() !== 'powershell.exe')).toBe(true);

    const third = await c.say('last 24 hours');
    const thirdKql = kqlOf(third.card);
    expect(thirdKql).toContain('ago(24h)');
    expect(thirdKql).toMatch(EXCLUDES_POWERSHELL);

    const query = await c.say('show query');
    expect(query.text).toContain('ago(24h)');
  });

  it('a card button (Action.Submit value, empty text) refines the hunt on the card', async () => {
    const c = conversation();
    const first = await c.say(SEED_PROMPT);
    const button = submitsOf(first.card).find((a) => /^Only port \d+$/.test(a.title));
    expect(button).toBeDefined();
    const port = /(\d+)$/.exec(button!.title)![1];
    const refined = await c.say('', { value: button!.data, replyToId: first.activity.id });
    expect(kqlOf(refined.card)).toMatch(onlyPort(port));
    const rows = tableOf(refined.card).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r[2] === port)).toBe(true);
  });

  it('in a channel the bot\'s @mention is removed before the text is read', async () => {
    const mention = { type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` };
    const channel = conversation({ conversationType: 'channel' });
    const mentioned = await channel.say(`<at>${BOT.name}</at> ${SEED_PROMPT}`, { entities: [mention] });
    const personal = await conversation().say(SEED_PROMPT);
    expect(kqlOf(mentioned.card)).toBe(kqlOf(personal.card));
    const help = await channel.say(`<at>${BOT.name}</at> help`, { entities: [mention] });
    expect(help.text).toContain('What I can hunt');
  });

  it('welcomes when the bot is added, and stays quiet when another person joins the conversation', async () => {
    const conversationId = `a:conv-welcome-${++conversations}`;
    const added = await send(app.url, connector, membersAdded([BOT], { conversationId, serviceUrl: connector.url }));
    expect(added.status).toBe(200);
    expect(added.messages).toHaveLength(1);
    const card = cardOf(added.messages[0]);
    expect(validateCard(card)).toEqual([]);
    expect(cardToText(card)).toContain(skills[0].examplePrompts[0]);
    const someoneJoined = await send(app.url, connector, membersAdded([{ id: 'user-2', name: 'Another analyst' }], { conversationId, serviceUrl: connector.url }));
    expect(someoneJoined.status).toBe(200);
    expect(someoneJoined.messages).toHaveLength(0);
  });
});

describe('with a Microsoft app id (as in Azure)', () => {
  let secured: App;
  beforeAll(async () => {
    secured = await startApp(testConfig({
      LOCAL_DATA_DIR: dataDir, MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret',
    }), { host: '127.0.0.1' });
  });
  afterAll(async () => { await secured?.close(); });

  it('refuses an activity without a token (401) and sends nothing', async () => {
    const before = connector.replies.length;
    const { status } = await send(secured.url, connector, message(SEED_PROMPT, { conversationId: 'a:conv-auth', serviceUrl: connector.url }));
    expect(status).toBe(401);
    expect(connector.replies.length).toBe(before);
  });

  it('has no chat page and no dev connector routes', async () => {
    expect((await fetch(`${secured.url}/`)).status).toBe(404);
    expect((await fetch(`${secured.url}/v3/conversations/x/activities`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(404);
    expect((await fetch(`${secured.url}/healthz`)).status).toBe(200);
  });
});
