import type { ConversationLog } from './conversation.ts';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** One line per event on stderr: `<time> <level> <message> {fields}`; entries below `level` are dropped. */
export function consoleLog(level: LogLevel = 'info'): ConversationLog {
  const min = LEVELS.indexOf(level);
  const write = (at: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVELS.indexOf(at) < min) return;
    const { stack, ...rest } = fields ?? {};
    const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    console.error(`${new Date().toISOString()} ${at} ${message}${extra}${stack ? `\n${String(stack)}` : ''}`);
  };
  return { info: write('info'), error: write('error') };
}
