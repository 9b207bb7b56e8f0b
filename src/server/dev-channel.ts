import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Request, Response, Server } from 'restify';
import type { ConversationLog } from '../conversation/conversation.ts';

const require = createRequire(import.meta.url);
// The package exports only its entry (lib/index.js), so find the browser bundle beside it.
const WEBCHAT_JS = path.resolve(path.dirname(require.resolve('botframework-webchat')), '../dist/webchat.js');
const PAGE_HTML = readFileSync(new URL('./page/index.html', import.meta.url), 'utf8');
const DIRECTLINE_JS = readFileSync(new URL('./page/dev-directline.js', import.meta.url), 'utf8');

/** The bot as the page's conversations know it. */
const BOT = { id: 'hunting-bot', name: 'HuntBot', role: 'bot' };

interface DevConversation {
  userId: string;
  /** The page's server-sent-events streams for this conversation. */
  streams: Set<ServerResponse>;
  welcomed: boolean;
  sequence: number;
}

/**
 * A tiny Direct Line look-alike for the local chat page. The page posts activities here; each one is echoed
 * back to the page (Web Chat waits for the echo) and posted to our own `/api/messages`, with a `serviceUrl`
 * pointing at the connector routes below, so every turn takes the real CloudAdapter path. The bot's replies
 * arrive on those routes and go to the page over server-sent events.
 */
export function mountDevChannel(server: Server, options: { baseUrl: () => string; log: ConversationLog }): { close(): void } {
  const conversations = new Map<string, DevConversation>();

  const push = (conversationId: string, activity: Record<string, unknown>) => {
    const conversation = conversations.get(conversationId);
    if (!conversation) return;
    const data = `data: ${JSON.stringify(activity)}\n\n`;
    for (const stream of conversation.streams) stream.write(data);
  };

  const toBot = async (conversationId: string, activity: Record<string, unknown>) => {
    const response = await fetch(`${options.baseUrl()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...activity,
        channelId: 'webchat',
        serviceUrl: options.baseUrl(),
        conversation: { id: conversationId },
        recipient: BOT,
      }),
    });
    if (!response.ok) options.log.error('dev channel: the bot refused an activity', { status: response.status, conversationId });
  };
  const send = (conversationId: string, activity: Record<string, unknown>) => {
    toBot(conversationId, activity).catch((error) => options.log.error('dev channel: posting to the bot failed', { conversationId, stack: error?.stack }));
  };

  server.get('/', async (_req: Request, res: Response) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(PAGE_HTML);
  });
  server.get('/webchat.js', async (_req: Request, res: Response) => {
    res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'max-age=3600' });
    await new Promise<void>((resolve, reject) => createReadStream(WEBCHAT_JS).on('error', reject).on('end', resolve).pipe(res));
  });
  server.get('/dev-directline.js', async (_req: Request, res: Response) => {
    res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-store' });
    res.end(DIRECTLINE_JS);
  });

  server.get('/favicon.ico', async (_req: Request, res: Response) => { res.send(204); });

  server.post('/dev/conversations', async (_req: Request, res: Response) => {
    const conversationId = randomUUID().replaceAll('-', '');
    const userId = `dev-user-${conversationId.slice(0, 8)}`;
    conversations.set(conversationId, { userId, streams: new Set(), welcomed: false, sequence: 0 });
    res.send(201, { conversationId, userId });
  });

  // The page's event stream; the first stream to connect is when the user "joins", so the bot welcomes them.
  server.get('/dev/conversations/:conversationId/events', async (req: Request, res: Response) => {
    const conversation = conversations.get(req.params.conversationId);
    if (!conversation) { res.send(404, { error: 'unknown conversation' }); return; }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    conversation.streams.add(res);
    if (!conversation.welcomed) {
      conversation.welcomed = true;
      send(req.params.conversationId, {
        type: 'conversationUpdate',
        id: randomUUID(),
        timestamp: new Date().toISOString(),
        from: { id: conversation.userId, role: 'user' },
        membersAdded: [BOT, { id: conversation.userId, name: 'You' }],
      });
    }
    await new Promise<void>((resolve) => res.on('close', resolve));
    conversation.streams.delete(res);
  });

  // What Web Chat's postActivity sends: echoed first (so it is marked sent, and ordered before the replies).
  server.post('/dev/conversations/:conversationId/activities', async (req: Request, res: Response) => {
    const conversationId = req.params.conversationId;
    const conversation = conversations.get(conversationId);
    if (!conversation) { res.send(404, { error: 'unknown conversation' }); return; }
    const id = `${conversationId}|${String(++conversation.sequence).padStart(7, '0')}`;
    const activity = { ...req.body, id, timestamp: new Date().toISOString(), from: { id: conversation.userId, name: 'You', role: 'user' }, conversation: { id: conversationId } };
    push(conversationId, activity);
    res.send(200, { id });
    send(conversationId, activity);
  });

  // The connector routes the bot replies to (the Bot Framework REST API paths, as ChannelServiceRoutes has them).
  const fromBot = async (req: Request, res: Response) => {
    const conversationId = req.params.conversationId;
    const id = req.params.activityId && req.method === 'PUT' ? req.params.activityId : randomUUID();
    push(conversationId, { ...req.body, id, timestamp: new Date().toISOString(), from: { ...BOT, ...req.body?.from, role: 'bot' } });
    res.send(200, { id });
  };
  server.post('/v3/conversations/:conversationId/activities', fromBot);
  server.post('/v3/conversations/:conversationId/activities/:activityId', fromBot);
  server.put('/v3/conversations/:conversationId/activities/:activityId', fromBot);

  return {
    close: () => {
      for (const conversation of conversations.values()) for (const stream of conversation.streams) stream.end();
    },
  };
}
