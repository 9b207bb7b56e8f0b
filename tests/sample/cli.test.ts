import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { registerSample } from '../../src/cli/commands/sample.ts';
import { HuntError } from '../../src/errors.ts';

let root: string;
beforeAll(async () => { root = await mkdtemp(join(tmpdir(), 'hunt-sample-cli-')); });
afterAll(async () => { await rm(root, { recursive: true, force: true }); });
afterEach(() => { vi.restoreAllMocks(); });

/** Runs `hunt <args>` with only the sample command registered; returns what it printed. */
async function hunt(...args: string[]): Promise<string> {
  const program = new Command('hunt').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerSample(program);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await program.parseAsync(args, { from: 'user' });
  return log.mock.calls.map((c) => c.join(' ')).join('\n');
}

describe('hunt sample', () => {
  it('writes the sample with the options given and prints the tables, row counts and folder', async () => {
    const out = join(root, 'jsonl');
    const printed = await hunt('sample', '--out', out, '--seed', '9', '--devices', '10', '--days', '3', '--events', '2000', '--format', 'jsonl', '--now', '2026-12-01T06:00:00Z');
    expect((await readdir(out)).sort()).toEqual(['DeviceInfo.jsonl', 'DeviceNetworkEvents.jsonl', 'DeviceProcessEvents.jsonl', 'ground-truth.json', 'manifest.json']);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ seed: 9, devices: 10, days: 3, events: 2000, format: 'jsonl', now: '2026-12-01T06:00:00.000Z' });
    expect(printed).toContain(out);
    expect(printed).toMatch(/DeviceNetworkEvents\s+2,000 rows\s+DeviceNetworkEvents\.jsonl/);
    expect(printed).toMatch(new RegExp(`DeviceInfo\\s+${manifest.tables.DeviceInfo.rows} rows`));
    expect(printed).toContain('6 attack scenarios');
  });

  it('rejects values that are not whole numbers or not a known format before writing anything', async () => {
    const out = join(root, 'never');
    await expect(hunt('sample', '--out', out, '--devices', 'many')).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(hunt('sample', '--out', out, '--format', 'xml')).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(hunt('sample')).rejects.toMatchObject({ code: 'commander.missingMandatoryOptionValue' });
    const tooFew = await hunt('sample', '--out', out, '--devices', '3').catch((e: unknown) => e);
    expect(tooFew).toBeInstanceOf(HuntError);
    expect((tooFew as HuntError).userMessage).toContain('8 to 10000 devices');
    await expect(readdir(out)).rejects.toThrow();
  });
});
