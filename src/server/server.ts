import restify from 'restify';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { HuntBot, createConversationState } from '../bot/hunt-bot.ts';
import { errorCard } from '../cards/index.ts';
import { mountDevChannel } from './dev-channel.ts';
import type { Config } from '../config.ts';
import type { ConversationDeps } from '../conversation/conversation.ts';

export interface ServerOptions {
  config: Config;
  deps: ConversationDeps;
  version: string;
  /** Interface to listen on when an app id is set (Azure); local mode always uses 127.0.0.1. */
  host?: string;
}

export interface RunningServer {
  /** The base URL, e.g. http://127.0.0.1:3978 (the chat page in local mode). */
  url: string;
  port: number;
  /** Stops accepting connections, waits for the turns in flight, then resolves. */
  close(): Promise<void>;
}

/**
 * The HTTP side: `POST /api/messages` through the Bot Framework CloudAdapter, `GET /healthz`, and in local mode
 * (no MicrosoftAppId) the chat page and its dev channel.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, deps } = options;
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  }));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const correlationId = randomUUID();
    deps.log.error('bot turn failed', { correlationId, stack: error.stack ?? String(error) });
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(errorCard('Sorry, something went wrong.', { hint: 'Try again in a moment.', correlationId }))] });
  };
  const bot = new HuntBot(deps, createConversationState(config));

  const server = restify.createServer({ name: 'hunting-bot', version: options.version });
  server.use(restify.plugins.bodyParser({ mapParams: false }));

  const inFlight = new Set<Promise<void>>();
  let closing = false;
  server.post('/api/messages', async (req, res) => {
    if (closing) { res.send(503, { error: 'shutting down' }); return; }
    const turn = adapter.process(req, res, (context) => bot.run(context));
    inFlight.add(turn);
    try { await turn; } finally { inFlight.delete(turn); }
  });
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: closing ? 'stopping' : 'ok', engine: deps.engine.name, skills: deps.skills.length, version: options.version });
  });

  // The dev channel exists only without an app id: it posts to our own /api/messages, which is anonymous then.
  let url = '';
  const devChannel = config.localMode ? mountDevChannel(server, { baseUrl: () => url, log: deps.log }) : undefined;

  const host = config.localMode ? '127.0.0.1' : options.host ?? '0.0.0.0';
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(config.PORT, host, () => resolve((server.address() as AddressInfo).port));
  });
  url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;

  return {
    url,
    port,
    close: async () => {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      devChannel?.close();
      await Promise.allSettled([...inFlight]);
      await stopped;
    },
  };
}
