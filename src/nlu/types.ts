import type { Hunt } from '../skills/types.ts';

export type Command = 'showQuery' | 'nextPage' | 'reset' | 'help';

export type MapResult =
  | { kind: 'hunt'; hunt: Hunt; explanation: string; confidence: number }
  | { kind: 'command'; command: Command; explanation: string }
  | { kind: 'clarify'; message: string; suggestions: string[] };

export interface MapContext {
  /** The hunt being refined, if any: a follow-up changes it instead of starting over. */
  current?: Hunt;
  /** "last 24 hours", "today" and absolute times are read against this. */
  now: Date;
}

export interface PromptMapper {
  map(text: string, ctx: MapContext): Promise<MapResult>;
}
