import { readFileSync } from 'node:fs';
import { openPipeline } from '../conversation/pipeline.ts';
import { consoleLog } from '../conversation/log.ts';
import { startServer, type RunningServer } from './server.ts';
import type { Config } from '../config.ts';

const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

export interface App extends RunningServer {
  /** The folder the local engine reads. */
  dataDir: string;
}

/** The whole bot from a configuration: the pipeline (skills, mapper, engine) behind the HTTP server. */
export async function startApp(config: Config, options: { host?: string } = {}): Promise<App> {
  const log = consoleLog(config.LOG_LEVEL);
  const pipeline = await openPipeline(config, log);
  try {
    const server = await startServer({ config, deps: pipeline.deps, version: VERSION, host: options.host });
    return {
      ...server,
      dataDir: pipeline.dataDir,
      close: async () => {
        await server.close();
        await pipeline.close();
      },
    };
  } catch (error) {
    await pipeline.close();
    throw error;
  }
}
