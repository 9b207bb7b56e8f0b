// The bot as a real OS process (`npm start`'s entry): SIGTERM lets the turn in flight finish, and with blob state
// a follow-up sent to a new process still refines the hunt the old one answered.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultSample } from '../../src/sample/index.ts';
import { startAzurite } from './azurite.ts';
import { cardOf, kqlOf, message, send, startConnector, tempDir } from './helpers.ts';

// Exactly what `npm start` runs (without npm in between, so the signal goes to the bot itself).
const [command, ...startArgs] = (JSON.parse(readFileSync('package.json', 'utf8')).scripts.start as string).split(' ');
let azurite: Awaited<ReturnType<typeof startAzurite>>;
let connector: Awaited<ReturnType<typeof startConnector>>;
let env: Record<string, string>;

beforeAll(async () => {
  const [a, c, dataDir] = await Promise.all([startAzurite(), startConnector(), ensureDefaultSample(tempDir('sample'))]);
  [azurite, connector] = [a, c];
  env = {
    PORT: '0', LOG_LEVEL: 'warn', MicrosoftAppId: '', LOCAL_DATA_DIR: dataDir,
    STATE_STORAGE: 'blob', STATE_BLOB_CONNECTION_STRING: azurite.connectionString, STATE_BLOB_CONTAINER: 'hunt-state-process',
  };
});
afterAll(async () => {
  await connector?.close();
  await azurite?.stop();
});

/** Starts the bot as `npm start` does and waits for the chat URL it prints. */
async function startBot(): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  expect(command).toBe('node');
  const child = spawn(process.execPath, startArgs, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open the chat page: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`the bot exited (${code}) before it listened:\n${output}`)));
  });
  return { child, url, exited };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('the bot process', () => {
  it('finishes the turn in flight on SIGTERM, exits cleanly, and a new process refines the stored hunt', async () => {
    const conversationId = 'conv-process';
    const first = await startBot();
    const activity = message('List devices connecting to public IPs on ports above 1024 in the last 24 hours', { conversationId, serviceUrl: connector.url });
    const inFlight = send(first.url, connector, activity);
    // The typing indicator is sent when the turn starts: stop the process while the hunt is running.
    await until(() => connector.replies.some((r) => r.replyToId === activity.id && r.activity.type === 'typing'), 'the typing indicator');
    first.child.kill('SIGTERM');
    const { status, messages } = await inFlight;
    expect(status).toBe(200);
    expect(kqlOf(cardOf(messages[0]))).toContain('ago(24h)');
    expect(await first.exited).toBe(0);

    const second = await startBot();
    try {
      const followUp = await send(second.url, connector, message('exclude powershell.exe', { conversationId, serviceUrl: connector.url }));
      const kql = kqlOf(cardOf(followUp.messages[0]));
      expect(kql).toContain('ago(24h)');
      expect(kql).toContain('InitiatingProcessFileName !in~ (dynamic(["powershell.exe"]))');
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });
});
