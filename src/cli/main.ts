import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { isHuntError } from '../errors.ts';
import { registerSkillCommands } from './commands/skills.ts';
import { registerEngineCommands } from './commands/engine.ts';
import { registerSample } from './commands/sample.ts';
import { registerChat } from './commands/chat.ts';

// `hunt skills | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});

const program = new Command('hunt')
  .description('Security hunting with KQL skills: map prompts, render KQL, run it locally, chat')
  .showHelpAfterError();

const config = () => loadConfig();
registerSkillCommands(program, () => config().SKILLS_DIR);
registerEngineCommands(program);
registerSample(program);
registerChat(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Errors a user can act on print their message; anything else is a bug worth a stack.
  if (isHuntError(e)) {
    process.stderr.write(`hunt: ${e.userMessage}\n`);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
