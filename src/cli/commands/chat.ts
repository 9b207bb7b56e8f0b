import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { handleTurn, type ConversationData } from '../../conversation/conversation.ts';
import { openPipeline } from '../../conversation/pipeline.ts';
import { consoleLog } from '../../conversation/log.ts';
import { welcomeCard, cardToText } from '../../cards/index.ts';
import { parseNow } from '../options.ts';

/** `hunt chat`: the bot's conversation in the terminal, each card printed as readable text. */
export function registerChat(program: Command): void {
  program.command('chat')
    .description('Talk to the bot in the terminal (same conversation as Teams and the chat page)')
    .option('--data <dir>', 'data folder for the local engine (default: LOCAL_DATA_DIR or the default sample)')
    .option('--now <iso>', 'the time relative dates and ago() are read against (default: the clock)')
    .action(async (opts: { data?: string; now?: string }) => {
      const config = loadConfig(opts.data ? { ...process.env, LOCAL_DATA_DIR: opts.data } : process.env);
      // Per-turn info lines would interleave with the conversation: the terminal shows errors only, unless debugging.
      const pipeline = await openPipeline(config, consoleLog(config.LOG_LEVEL === 'debug' ? 'debug' : 'error'));
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
      let state: ConversationData = {};
      try {
        console.log(`${cardToText(welcomeCard(pipeline.deps.skills))}\n(type "exit" or press Ctrl-D to leave)`);
        rl.setPrompt('you> ');
        rl.prompt();
        for await (const line of rl) {
          if (/^\s*(exit|quit)\s*$/i.test(line)) break;
          if (line.trim()) {
            const outcome = await handleTurn(pipeline.deps, state, { text: line, now: parseNow(opts.now) });
            state = outcome.state;
            for (const reply of outcome.replies) console.log(`\n${reply.text}\n`);
          }
          rl.prompt();
        }
      } finally {
        rl.close();
        await pipeline.close();
      }
    });
}
