import type { Skill } from '../skills/types.ts';
import { adaptiveCard, clip, container, fitted, kqlBlocks, submit, text, type AdaptiveCard } from './elements.ts';

/** Leaves room in the 80 KB budget for the card around the query. */
const QUERY_CARD_KQL_BYTES = 70 * 1024;
const FOLLOW_UP_HINT = 'Then narrow the answer in your own words: "only powershell.exe", "exclude port 8080", "only device WS-0042", "last 24 hours", "next page", "show the query".';

/**
 * An error as the user should see it: `message` says what went wrong, `hint` what to do. A correlation id
 * (for errors the user cannot fix) is shown so an administrator can find the log entry. Never a stack.
 */
export function errorCard(message: string, opts: { hint?: string; correlationId?: string } = {}): AdaptiveCard {
  return adaptiveCard(
    [
      text(message, { weight: 'Bolder', color: 'Attention' }),
      ...(opts.hint ? [text(opts.hint)] : []),
      ...(opts.correlationId ? [text(`Reference: ${opts.correlationId}`, { isSubtle: true, size: 'Small' })] : []),
    ],
    [submit('Help', { verb: 'ask', text: 'help' })],
  );
}

/** Every skill with its example prompts as buttons; skills are left out (and counted) if the card would pass 80 KB. */
export function helpCard(skills: Skill[]): AdaptiveCard {
  return fitted(skills.length, (shown) => adaptiveCard([
    text('What I can hunt', { size: 'Medium', weight: 'Bolder' }),
    text('Ask in plain English: I pick the hunt that fits, run it and summarize the result. Or press an example.', { spacing: 'None' }),
    ...skills.slice(0, shown).map((skill) => container([
      text(skill.displayName, { weight: 'Bolder' }),
      text(clip(skill.description, 240), { isSubtle: true, spacing: 'None', size: 'Small' }),
      ...(skill.examplePrompts.length ? [{
        type: 'ActionSet',
        actions: skill.examplePrompts.slice(0, 4).map((p) => submit(p, { verb: 'ask', text: p })),
      }] : []),
    ], { separator: true, spacing: 'Medium' })),
    ...(shown < skills.length ? [text(`And ${skills.length - shown} more: ask for them by name.`, { isSubtle: true })] : []),
    text(FOLLOW_UP_HINT, { isSubtle: true, spacing: 'Medium' }),
  ]));
}

/** A short welcome with a few example prompts, taken from different skills first. */
export function welcomeCard(skills: Skill[]): AdaptiveCard {
  const depth = Math.max(0, ...skills.map((s) => s.examplePrompts.length));
  const examples = Array.from({ length: depth }, (_, i) => skills.map((s) => s.examplePrompts[i]))
    .flat().filter((p): p is string => p !== undefined).slice(0, 3);
  return adaptiveCard(
    [
      text('Hunt in Defender data by asking', { size: 'Medium', weight: 'Bolder' }),
      text('Tell me what to look for, for example outbound traffic to public IPs on unusual ports. I turn it into a KQL hunt, run it and summarize what I find, with suspicious rows flagged.'),
      text(FOLLOW_UP_HINT, { isSubtle: true }),
    ],
    [...examples.map((p) => submit(p, { verb: 'ask', text: p })), submit('What can you do?', { verb: 'ask', text: 'help' })],
  );
}

/** "Show the query": the KQL that runs for the current hunt. */
export function queryCard(kql: string, explanation: string): AdaptiveCard {
  return adaptiveCard([
    text('The query', { size: 'Medium', weight: 'Bolder' }),
    text(explanation, { isSubtle: true, spacing: 'None' }),
    ...kqlBlocks(kql, QUERY_CARD_KQL_BYTES),
  ]);
}

/**
 * The mapper's question back. Suggestions are sentences sent as if typed, as follow-ups of the current hunt
 * (verb `refine`), since a question back is usually about the hunt under way.
 */
export function clarifyCard(message: string, suggestions: string[]): AdaptiveCard {
  return adaptiveCard([text(message)], suggestions.map((s) => submit(s, { verb: 'refine', text: s })));
}
