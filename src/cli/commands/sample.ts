import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { generateSample, SAMPLE_DEFAULTS, type SampleFormat } from '../../sample/index.ts';
import { parseNow } from '../options.ts';

const wholeNumber = (value: string): number => {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number.');
  return Number(value);
};

/** `hunt sample`: writes a deterministic Defender sample (with its ground truth) for the local engine. */
export function registerSample(program: Command): void {
  program.command('sample')
    .description('Write a sample of Defender tables (DeviceNetworkEvents, DeviceProcessEvents, DeviceInfo) with injected attacks and their ground truth')
    .requiredOption('--out <dir>', 'folder to write (use it as LOCAL_DATA_DIR)')
    .option('--seed <n>', 'random seed: the same seed and --now give the same files', wholeNumber, SAMPLE_DEFAULTS.seed)
    .option('--devices <n>', 'number of devices (at least 8)', wholeNumber, SAMPLE_DEFAULTS.devices)
    .option('--days <n>', 'days of data, ending at --now', wholeNumber, SAMPLE_DEFAULTS.days)
    .option('--events <n>', 'network events in total', wholeNumber, SAMPLE_DEFAULTS.events)
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'jsonl', 'parquet']).default(SAMPLE_DEFAULTS.format))
    .option('--now <iso>', 'end of the data (default: the current time rounded down to the hour)')
    .action(async (opts: { out: string; seed: number; devices: number; days: number; events: number; format: SampleFormat; now?: string }) => {
      const started = Date.now();
      const m = await generateSample({ outDir: opts.out, seed: opts.seed, devices: opts.devices, days: opts.days, events: opts.events, format: opts.format, now: opts.now === undefined ? undefined : parseNow(opts.now) });
      const lines = [`Wrote sample (seed ${m.seed}, ${m.devices} devices, ${m.start} to ${m.now}) to ${resolve(opts.out)} in ${((Date.now() - started) / 1000).toFixed(1)} s:`];
      for (const [table, t] of Object.entries(m.tables)) lines.push(`  ${table.padEnd(20)} ${t.rows.toLocaleString('en-US').padStart(10)} rows  ${t.file}`);
      lines.push(`  ${m.groundTruth.file}: ${m.groundTruth.scenarios} attack scenarios; manifest.json describes the sample.`);
      lines.push(`Hunt it with LOCAL_DATA_DIR=${resolve(opts.out)}`);
      console.log(lines.join('\n'));
    });
}
