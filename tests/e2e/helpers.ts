// Shared pieces of the end-to-end tests: a configuration for a real server, a recording Bot Framework
// connector (where the bot sends its replies) and activity builders.
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../../src/config.ts';
import { cardToText, unescapeMarkdown } from '../../src/cards/index.ts';

export const BOT = { id: 'bot-1', name: 'HuntBot' };
export const USER = { id: 'user-1', name: 'Analyst' };

/** A configuration as `npm start` would read it, on an ephemeral port, with no app id unless given. */
export function testConfig(env: Record<string, string>): Config {
  return loadConfig({ PORT: '0', LOG_LEVEL: 'warn', ...env });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `${prefix}-`));
}

export interface RecordedReply {
  conversationId: string;
  replyToId?: string;
  activity: Record<string, any>;
}

/** A local stand-in for the channel's connector service: records every activity the bot sends. */
export async function startConnector(): Promise<{ url: string; replies: RecordedReply[]; close(): Promise<void> }> {
  const replies: RecordedReply[] = [];
  const server: Server = createServer(async (req, res) => {
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
    // Separate writeHead and end calls: restify patches http.ServerResponse, and its writeHead returns nothing.
    if (!match || (req.method !== 'POST' && req.method !== 'PUT')) { res.writeHead(404); res.end(); return; }
    let body = '';
    for await (const chunk of req) body += chunk;
    replies.push({ conversationId: decodeURIComponent(match[1]), replyToId: match[2] && decodeURIComponent(match[2]), activity: JSON.parse(body) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: randomUUID() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    replies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface ActivityOptions {
  conversationId: string;
  serviceUrl: string;
  value?: Record<string, unknown>;
  conversationType?: 'personal' | 'groupChat' | 'channel';
  entities?: object[];
  replyToId?: string;
}

export function message(text: string, o: ActivityOptions): Record<string, unknown> {
  return {
    type: 'message',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: USER,
    recipient: BOT,
    conversation: { id: o.conversationId, conversationType: o.conversationType ?? 'personal' },
    text,
    ...(o.value ? { value: o.value } : {}),
    ...(o.entities ? { entities: o.entities } : {}),
    ...(o.replyToId ? { replyToId: o.replyToId } : {}),
  };
}

export function membersAdded(members: { id: string; name: string }[], o: Pick<ActivityOptions, 'conversationId' | 'serviceUrl'>): Record<string, unknown> {
  return {
    type: 'conversationUpdate',
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: USER,
    recipient: BOT,
    conversation: { id: o.conversationId, conversationType: 'personal' },
    membersAdded: members,
  };
}

/**
 * Posts an activity to the bot and returns the HTTP status and the messages the bot sent in reply
 * (typing indicators left out). The CloudAdapter answers after the turn, so the replies are in by then.
 */
export async function send(botUrl: string, connector: { replies: RecordedReply[] }, activity: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const messages = connector.replies
    .filter((r) => r.replyToId === activity.id && r.activity.type === 'message')
    .map((r) => r.activity);
  return { status: response.status, messages };
}

/** The Adaptive Card of a reply (every bot answer is one card). */
export function cardOf(activity: Record<string, any>): Record<string, any> {
  const attachment = activity.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!attachment) throw new Error(`the reply has no Adaptive Card: ${JSON.stringify(activity).slice(0, 300)}`);
  return attachment.content;
}

/** Every element and action of a card, depth first (bodies, columns, cells, show-card actions). */
export function walk(node: unknown, out: Record<string, any>[] = []): Record<string, any>[] {
  if (Array.isArray(node)) { for (const n of node) walk(n, out); return out; }
  if (node && typeof node === 'object') {
    const o = node as Record<string, any>;
    if (typeof o.type === 'string') out.push(o);
    for (const key of ['body', 'items', 'columns', 'rows', 'cells', 'actions', 'card', 'inlineAction']) if (key in o) walk(o[key], out);
  }
  return out;
}

/** The query a hunt card's "Show KQL" holds (one monospace TextBlock per line, markdown-escaped). */
export function kqlOf(card: Record<string, any>): string {
  const show = walk(card).find((e) => e.type === 'Action.ShowCard' && e.title === 'Show KQL');
  if (!show) throw new Error(`the card has no "Show KQL" action: ${cardToText(card).slice(0, 300)}`);
  return walk(show.card)
    .filter((e) => e.type === 'TextBlock' && e.fontType === 'Monospace')
    .map((e) => unescapeMarkdown(String(e.text)).replaceAll('\u00a0', ' ').trimEnd())
    .join('\n');
}

/** The rows of a card's first Table as arrays of cell texts (header row first). */
export function tableOf(card: Record<string, any>): string[][] {
  const table = walk(card).find((e) => e.type === 'Table');
  if (!table) throw new Error(`the card has no Table: ${cardToText(card).slice(0, 300)}`);
  return table.rows.map((row: any) => row.cells.map((cell: any) => walk(cell.items)
    .filter((e) => e.type === 'TextBlock').map((e) => unescapeMarkdown(String(e.text))).join(' ')));
}

/** The Action.Submit buttons of a card with their data. */
export function submitsOf(card: Record<string, any>): { title: string; data: Record<string, any> }[] {
  return (card.actions ?? []).filter((a: any) => a.type === 'Action.Submit').map((a: any) => ({ title: a.title, data: a.data }));
}
