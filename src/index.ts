// `npm start`: the bot's HTTP server. With no MicrosoftAppId it runs locally (127.0.0.1) with a chat page.
import { existsSync } from 'node:fs';
import { loadConfig } from './config.ts';
import { isHuntError } from './errors.ts';
import { startApp } from './server/app.ts';

// `.env` for local use, as in the Bot Framework samples; App Service passes settings as real variables.
if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const config = loadConfig();
  const app = await startApp(config);
  if (config.localMode) {
    console.log(`Hunting bot running locally (no MicrosoftAppId): listening on 127.0.0.1 only, data from ${app.dataDir}`);
    console.log(`Open the chat page: ${app.url}/`);
  } else {
    console.log(`Hunting bot listening on port ${app.port}: POST /api/messages, GET /healthz`);
  }
  // App Service and containers stop with SIGTERM: stop accepting, let the turns in flight finish, then exit.
  const stop = async (signal: string) => {
    console.log(`${signal}: finishing the turns in flight`);
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
} catch (error) {
  if (!isHuntError(error)) throw error;
  console.error(error.userMessage);
  process.exit(1);
}
