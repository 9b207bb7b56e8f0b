// Conversation state in Azure Blob Storage (Azurite): a follow-up sent after the bot restarts still
// refines the hunt from before the restart; with memory storage the same follow-up starts over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/server/app.ts';
import { ensureDefaultSample } from '../../src/sample/index.ts';
import { validateCard } from '../cards/validate.ts';
import { startAzurite } from './azurite.ts';
import { cardOf, kqlOf, message, send, startConnector, tempDir, testConfig } from './helpers.ts';

let azurite: Awaited<ReturnType<typeof startAzurite>>;
let connector: Awaited<ReturnType<typeof startConnector>>;
let dataDir: string;

beforeAll(async () => {
  [azurite, connector, dataDir] = await Promise.all([startAzurite(), startConnector(), ensureDefaultSample(tempDir('sample'))]);
});
afterAll(async () => {
  await connector?.close();
  await azurite?.stop();
});

/** Asks a hunt with a non-default lookback, restarts the server, then sends a follow-up; returns its query. */
async function followUpAcrossRestart(env: Record<string, string>, conversationId: string): Promise<string> {
  const config = testConfig({ LOCAL_DATA_DIR: dataDir, ...env });
  const first = await startApp(config);
  try {
    const { messages } = await send(first.url, connector, message('List devices connecting to public IPs on ports above 1024 in the last 24 hours', { conversationId, serviceUrl: connector.url }));
    expect(kqlOf(cardOf(messages[0]))).toContain('ago(24h)');
  } finally {
    await first.close();
  }
  const second = await startApp(config);
  try {
    const { status, messages } = await send(second.url, connector, message('exclude powershell.exe', { conversationId, serviceUrl: connector.url }));
    expect(status).toBe(200);
    const card = cardOf(messages[0]);
    expect(validateCard(card)).toEqual([]);
    return kqlOf(card);
  } finally {
    await second.close();
  }
}

describe('conversation state across a restart', () => {
  it('blob storage keeps the hunt: the follow-up refines it', async () => {
    const kql = await followUpAcrossRestart({
      STATE_STORAGE: 'blob', STATE_BLOB_CONNECTION_STRING: azurite.connectionString, STATE_BLOB_CONTAINER: 'hunt-state-test',
    }, 'conv-blob');
    expect(kql).toContain('ago(24h)');
    expect(kql).toMatch(/InitiatingProcessFileName !in~ \((dynamic\(\[)?"powershell\.exe"/);
  });

  it('memory storage forgets it: the same follow-up starts from the defaults', async () => {
    const kql = await followUpAcrossRestart({ STATE_STORAGE: 'memory' }, 'conv-memory');
    expect(kql).not.toContain('ago(24h)');
  });
});
