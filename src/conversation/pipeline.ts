import { loadSkills } from '../skills/manifest.ts';
import { createRulesMapper } from '../nlu/rulesMapper.ts';
import { LocalEngine } from '../engines/local/engine.ts';
import { ensureDefaultSample } from '../sample/index.ts';
import { HuntError } from '../errors.ts';
import type { Config } from '../config.ts';
import type { ConversationDeps, ConversationLog } from './conversation.ts';

export interface Pipeline {
  deps: ConversationDeps;
  /** Where the local engine reads its data from. */
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Everything a conversation needs, from the configuration: the skills in SKILLS_DIR, the rules mapper and the
 * local engine over LOCAL_DATA_DIR (or the default sample, generated once into SAMPLE_CACHE_DIR).
 * Shared by the server and `hunt chat`.
 */
export async function openPipeline(config: Config, log: ConversationLog): Promise<Pipeline> {
  const { skills, problems } = loadSkills(config.SKILLS_DIR);
  for (const problem of problems) log.error('skill manifest skipped', { problem: problem.userMessage });
  if (skills.length === 0) throw new HuntError('NoSkills', `No usable skill in ${config.SKILLS_DIR}.`);
  const dataDir = config.LOCAL_DATA_DIR ?? (await ensureDefaultSample(config.SAMPLE_CACHE_DIR));
  const engine = await LocalEngine.open({ dataDir });
  return {
    deps: { skills, mapper: createRulesMapper(skills), engine, maxRows: config.MAX_RESULT_ROWS, log },
    dataDir,
    close: async () => { await engine.close?.(); },
  };
}
