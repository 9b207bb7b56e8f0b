import type { Command } from './types.ts';

// Messages that are a whole command (also what card buttons send): "show the query", "next page", "help", "reset".

const COMMANDS: [Command, RegExp, string][] = [
  ['showQuery', /^(?:(?:show|display|print|give|view|see|open|reveal)(?: me)?(?: the| your| that)? (?:kql|kusto|query)(?: query| text| you (?:ran|run|used))?|(?:what|which) (?:query|kql) (?:did you|do you|was) (?:run|ran|use|used)|(?:the )?(?:kql|query)|how did you get (?:this|these|that))$/, 'Show the KQL of the current hunt'],
  ['nextPage', /^(?:more|next|next page|next results|the next page|show more|more results|load more|see more|page down|continue|keep going)$/, 'Show the next page of results'],
  ['help', /^(?:help|\?|what can you do|what do you do|how does this work|how do i use (?:this|you)|what can i ask|commands|usage|examples?|hi|hello|hey)$/, 'Show what I can do'],
  ['reset', /^(?:reset|start over|start again|begin again|restart|clear|new hunt|new search|forget (?:it|that|everything))$/, 'Forget the current hunt and start over'],
];

/** The command this message is, or undefined when it is not (only) a command. */
export function readCommand(text: string): { command: Command; explanation: string } | undefined {
  const t = text.toLowerCase()
    .replace(/[^a-z0-9?\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:(?:please|pls|ok|okay|hey bot|bot|can you|could you|would you|now)\s+)+/, '')
    .replace(/(?:\s+(?:please|pls|thanks|thank you))+$/, '')
    .replace(/(?<=\w)\s*\?$/, '')
    .trim();
  for (const [command, re, explanation] of COMMANDS) if (re.test(t)) return { command, explanation };
  return undefined;
}
