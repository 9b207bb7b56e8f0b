// The local chat page in headless Chromium: Web Chat from node_modules, the dev channel, the real bot.
// Type the seed prompt, see the result table, click a follow-up button, see the refined card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startApp, type App } from '../../src/server/app.ts';
import { ensureDefaultSample } from '../../src/sample/index.ts';
import { tempDir, testConfig } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = path.resolve('test-output');
const SEED_PROMPT = 'List devices connecting to public IPs on ports above 1024';

let app: App;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  // No skipping: without a browser this test fails, and says how to get one.
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  app = await startApp(testConfig({ LOCAL_DATA_DIR: await ensureDefaultSample(tempDir('sample')) }));
  browser = await chromium.launchPersistentContext(tempDir('chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1100, height: 1300 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** The cell texts of the nth result table on the page, header row left out. */
async function tableRows(n: number): Promise<string[][]> {
  const rows = page.getByRole('table').nth(n).getByRole('row');
  const texts = await rows.evaluateAll((els) => els.map((row) => [...row.querySelectorAll('[role="cell"], [role="columnheader"], td, th')].map((c) => (c.textContent ?? '').trim())));
  return texts.slice(1);
}

/** The card from its title to the end of its table (the flag reasons and buttons follow below). */
async function screenshotCardTop(card: Locator, file: string): Promise<void> {
  // Tall enough for the whole transcript so far: Web Chat keeps the view scrolled to the bottom, which would
  // move the card between measuring it and taking the picture.
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: viewport.width, height: 3000 });
  await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const box = (await card.boundingBox())!;
  const table = (await card.getByRole('table').boundingBox())!;
  await page.screenshot({ path: file, clip: { x: box.x, y: box.y, width: box.width, height: table.y + table.height - box.y + 12 } });
  await page.setViewportSize(viewport);
}

describe('local chat page', () => {
  it('answers the seed prompt with a table and refines it from a follow-up button', async () => {
    await page.goto(`${app.url}/`);
    await page.getByText('Hunt in Defender data by asking').waitFor();

    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill(SEED_PROMPT);
    await input.press('Enter');
    await page.getByRole('table').first().waitFor();
    const first = await tableRows(0);
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((r) => Number(r[2]) > 1024)).toBe(true);

    mkdirSync(OUTPUT, { recursive: true });
    const cards = page.locator('.webchat__adaptive-card-renderer').filter({ has: page.getByRole('table') });
    await screenshotCardTop(cards.first(), path.join(OUTPUT, 'hunt-card.png'));
    // `UPDATE_DOCS_SCREENSHOT=1 npx vitest run tests/e2e/browser.test.ts` refreshes the README's picture.
    if (process.env.UPDATE_DOCS_SCREENSHOT) copyFileSync(path.join(OUTPUT, 'hunt-card.png'), path.resolve('docs/card.png'));

    // "Exclude <top process>": the refined card says so, and the process is gone from its table and top list.
    const exclude = page.getByRole('button', { name: /^Exclude / }).first();
    const processName = (await exclude.textContent())!.trim().replace(/^Exclude /, '');
    expect(await cards.first().innerText()).toContain(processName);
    await exclude.click();
    await page.getByRole('table').nth(1).waitFor();
    const refined = await tableRows(1);
    expect(refined.length).toBeGreaterThan(0);
    expect(refined.some((r) => r[3] === processName)).toBe(false);
    const refinedText = await cards.nth(1).innerText();
    expect(refinedText).toContain(`excluding ${processName}`);
    expect(refinedText.split(processName)).toHaveLength(2);

    // A typed follow-up narrows the refined hunt further.
    await input.fill('exclude powershell.exe');
    await input.press('Enter');
    await page.getByRole('table').nth(2).waitFor();
    expect((await tableRows(2)).some((r) => r[3] === 'powershell.exe' || r[3] === processName)).toBe(false);
    const reading = (await cards.nth(2).innerText()).split('\n').find((line) => line.includes('excluding'));
    expect(reading).toContain(processName);
    expect(reading).toContain('powershell.exe');
    await page.screenshot({ path: path.join(OUTPUT, 'chat-page.png'), fullPage: true });
  });
});
