import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { HuntError } from '../errors.ts';
import { injectScenarios, type GroundTruthEntry } from './scenarios.ts';
import { DAY, HOUR, World } from './world.ts';
import { writeTables, type SampleFormat } from './write.ts';

export type { GroundTruthEntry } from './scenarios.ts';
export type { SampleFormat } from './write.ts';

export interface SampleOptions {
  outDir: string;
  seed?: number;
  devices?: number;
  days?: number;
  /** Network events in total: the scenarios' connections (about 1,000) plus benign traffic making up the rest. */
  events?: number;
  /** The end of the sample's time range; default: the current time rounded down to the hour. */
  now?: Date;
  format?: SampleFormat;
}

/** `manifest.json`: which sample a folder holds. */
export interface SampleManifest {
  generator: string;
  seed: number;
  devices: number;
  days: number;
  events: number;
  format: SampleFormat;
  /** First and last moment covered (ISO 8601 UTC). */
  start: string;
  now: string;
  tables: Record<string, { file: string; rows: number }>;
  groundTruth: { file: string; scenarios: number };
}

export interface GroundTruth { scenarios: GroundTruthEntry[] }

/** Bump when the generator's output changes, so cached samples are regenerated. */
const GENERATOR = 'kql-hunting-bot-sample/1';
export const SAMPLE_DEFAULTS = { seed: 1, devices: 50, days: 7, events: 50_000, format: 'csv' as SampleFormat };
/** The cached sample used when no LOCAL_DATA_DIR is set: Parquet, the fastest to load at start-up. */
const CACHED_SAMPLE = { ...SAMPLE_DEFAULTS, format: 'parquet' as SampleFormat };
/** A cached sample older than this is regenerated, so its scenarios (all in its last 4 days) stay inside a 7-day lookback. */
const MAX_CACHE_AGE = DAY;

/**
 * Writes a deterministic sample of DeviceNetworkEvents, DeviceProcessEvents and DeviceInfo into `outDir`
 * (`<Table>.<format>`), with `ground-truth.json` (the injected malicious scenarios) and `manifest.json`.
 * The same options (seed and now included) give byte-identical files.
 */
export async function generateSample(opts: SampleOptions): Promise<SampleManifest> {
  const o = validate(opts);
  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  const end = o.now.getTime();
  const world = new World({ seed: o.seed, devices: o.devices, start: end - o.days * DAY, end });
  const truth: GroundTruth = { scenarios: injectScenarios(world) };
  world.addBenignTraffic(o.events - world.connections.time.length);
  const tables = await writeTables(world, outDir, o.format);
  await writeFile(join(outDir, 'ground-truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  const manifest: SampleManifest = {
    generator: GENERATOR, seed: o.seed, devices: o.devices, days: o.days, events: o.events, format: o.format,
    start: new Date(world.start).toISOString(), now: o.now.toISOString(), tables,
    groundTruth: { file: 'ground-truth.json', scenarios: new Set(truth.scenarios.map((s) => s.scenario)).size },
  };
  // Written last: a folder with a manifest is complete.
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The default sample in `cacheDir`, generated on first use and reused while it is less than a day old
 * (the data ends at generation time, so an old sample would slide out of the default 7-day lookback).
 * Generates into a temporary folder and renames it, so a reader never sees a half-written sample. Returns the folder.
 */
export async function ensureDefaultSample(cacheDir: string, now: Date = new Date()): Promise<string> {
  const dir = resolve(cacheDir);
  if (await isFreshSample(dir, now)) return dir;
  await mkdir(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomUUID()}`;
  try {
    await generateSample({ ...CACHED_SAMPLE, outDir: tmp, now: new Date(Math.floor(now.getTime() / HOUR) * HOUR) });
    // Another process may have finished the same work meanwhile: keep its copy.
    if (await isFreshSample(dir, now)) return dir;
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (e) {
    if (!(await isFreshSample(dir, now))) throw e;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** Reads `manifest.json` from a sample folder (undefined when there is none or it is not a sample manifest). */
export async function readSampleManifest(dir: string): Promise<SampleManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as SampleManifest;
    return typeof manifest.generator === 'string' && manifest.tables ? manifest : undefined;
  } catch {
    return undefined;
  }
}

async function isFreshSample(dir: string, now: Date): Promise<boolean> {
  const m = await readSampleManifest(dir);
  if (!m || m.generator !== GENERATOR) return false;
  const same = m.seed === CACHED_SAMPLE.seed && m.devices === CACHED_SAMPLE.devices && m.days === CACHED_SAMPLE.days
    && m.events === CACHED_SAMPLE.events && m.format === CACHED_SAMPLE.format;
  const age = now.getTime() - Date.parse(m.now);
  if (!same || !(age >= 0 && age < MAX_CACHE_AGE)) return false;
  const files = await Promise.all(Object.values(m.tables).map((t) => stat(join(dir, t.file)).then(() => true, () => false)));
  return files.every(Boolean);
}

function validate(opts: SampleOptions): Required<Omit<SampleOptions, 'outDir'>> {
  const o = { ...SAMPLE_DEFAULTS, ...definedOnly(opts) };
  const now = opts.now ?? new Date(Math.floor(Date.now() / HOUR) * HOUR);
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new HuntError('InvalidSampleOption', message, { details: { options: { ...o, now: String(now) } } });
  };
  check(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff, `The seed must be a whole number from 0 to 4294967295 (got ${o.seed}).`);
  check(Number.isInteger(o.devices) && o.devices >= 8 && o.devices <= 10_000, `The sample needs 8 to 10000 devices: one for each of the 6 scenarios and some clean ones (got ${o.devices}).`);
  check(Number.isInteger(o.days) && o.days >= 1 && o.days <= 30, `Days must be a whole number from 1 to 30 (got ${o.days}).`);
  check(Number.isInteger(o.events) && o.events >= 0 && o.events <= 10_000_000, `Events must be a whole number from 0 to 10000000 (got ${o.events}).`);
  check(['csv', 'jsonl', 'parquet'].includes(o.format), `The format must be csv, jsonl or parquet (got ${o.format}).`);
  check(!Number.isNaN(now.getTime()), 'The end time (now) is not a valid date.');
  return { seed: o.seed, devices: o.devices, days: o.days, events: o.events, format: o.format, now };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
