import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { HuntError } from '../../errors.ts';
import { openPipeline } from '../../conversation/pipeline.ts';
import { runHunt } from '../../conversation/run-hunt.ts';
import { cardToText, huntCard } from '../../cards/index.ts';
import { LocalEngine } from '../../engines/local/engine.ts';
import { ensureDefaultSample } from '../../sample/index.ts';
import { checkKql } from '../../skills/render.ts';
import { parseContext, parseNow, printJson } from '../options.ts';
import { consoleLog } from '../../conversation/log.ts';

/** `--data DIR` wins over LOCAL_DATA_DIR; with neither, the default sample. */
function configWithData(data: string | undefined) {
  const config = loadConfig();
  return data ? { ...config, LOCAL_DATA_DIR: data } : config;
}

export function registerEngineCommands(program: Command): void {
  program.command('ask')
    .description('Map a prompt, render its KQL, run it on the local engine and summarize the result')
    .argument('<prompt>')
    .option('--data <dir>', 'folder of <Table>.csv|.json|.jsonl|.parquet files (default: LOCAL_DATA_DIR, else the sample)')
    .option('--now <iso>', 'the time relative dates, now() and ago() are read against')
    .option('--context <json>', 'the current hunt as JSON, to read the prompt as a follow-up')
    .option('--json', 'print skill, parameters, explanation, kql, columns, rows, rowCount, truncated, elapsedMs, summary')
    .action(async (prompt: string, opts: { data?: string; now?: string; context?: string; json?: boolean }) => {
      const now = parseNow(opts.now);
      const pipeline = await openPipeline(configWithData(opts.data), consoleLog('warn'));
      try {
        const mapped = await pipeline.deps.mapper.map(prompt, { current: parseContext(opts.context), now });
        if (mapped.kind === 'clarify') throw new HuntError('Unclear', `${mapped.message}${mapped.suggestions.length ? ` Try: ${mapped.suggestions.join(' | ')}` : ''}`);
        if (mapped.kind === 'command') throw new HuntError('NotAHunt', `"${prompt}" is a command (${mapped.command}); ask for a hunt instead.`);
        const run = await runHunt(pipeline.deps, mapped.hunt, { now });
        if (opts.json) {
          return printJson({
            skill: run.skill.name,
            parameters: run.rendered.parameters,
            explanation: mapped.explanation,
            kql: run.rendered.kql,
            columns: run.result.columns,
            rows: run.result.rows,
            rowCount: run.result.rows.length,
            truncated: run.result.truncated,
            elapsedMs: run.result.elapsedMs,
            summary: run.summary,
          });
        }
        console.log(cardToText(huntCard(run.summary, { kql: run.rendered.kql, hunt: mapped.hunt, skill: run.skill })));
      } finally {
        await pipeline.close();
      }
    });

  program.command('query')
    .description('Run any KQL on the local engine')
    .argument('[kql]', 'the query text (or use --file)')
    .option('--file <file>', 'read the query from a file')
    .option('--data <dir>', 'folder of <Table>.csv|.json|.jsonl|.parquet files (default: LOCAL_DATA_DIR, else the sample)')
    .option('--now <iso>', 'the time now() and ago() are read against')
    .option('--json', 'print kql, columns, rows, rowCount, truncated, elapsedMs')
    .action(async (text: string | undefined, opts: { file?: string; data?: string; now?: string; json?: boolean }) => {
      const kql = opts.file ? readFileSync(opts.file, 'utf8') : text;
      if (!kql?.trim()) throw new HuntError('NoQuery', 'Give a KQL query as the argument or with --file.');
      checkKql(kql);
      const config = configWithData(opts.data);
      const engine = await LocalEngine.open({ dataDir: config.LOCAL_DATA_DIR ?? (await ensureDefaultSample(config.SAMPLE_CACHE_DIR)) });
      try {
        const result = await engine.run(kql, { now: parseNow(opts.now), maxRows: config.MAX_RESULT_ROWS });
        if (opts.json) return printJson({ kql, ...result, rowCount: result.rows.length });
        console.table(result.rows.slice(0, 50));
        console.log(`${result.rows.length} rows${result.truncated ? ' (truncated)' : ''} in ${result.elapsedMs} ms`);
      } finally {
        await engine.close?.();
      }
    });
}
