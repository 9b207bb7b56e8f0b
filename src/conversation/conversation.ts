import { randomUUID } from 'node:crypto';
import { isHuntError, type HuntError } from '../errors.ts';
import { renderHunt, skillFor } from '../skills/render.ts';
import { describeHunt } from '../nlu/describe.ts';
import { cardToText, clarifyCard, errorCard, helpCard, huntCard, noResultsCard, queryCard } from '../cards/index.ts';
import { runHunt, type HuntRunDeps } from './run-hunt.ts';
import type { MapResult, PromptMapper } from '../nlu/types.ts';
import type { Hunt } from '../skills/types.ts';

export interface ConversationLog {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ConversationDeps extends HuntRunDeps {
  mapper: PromptMapper;
  log: ConversationLog;
}

/**
 * What a conversation remembers between turns. Kept small (it is stored as one blob per conversation):
 * the hunt and the page shown, and the last result's totals, never the rows.
 */
export interface ConversationData {
  hunt?: Hunt;
  page?: number;
  last?: { groups: number; connections?: number; flagged: number; pageCount: number; truncated: boolean };
}

export interface TurnInput {
  text?: string;
  /** A card action's data (Action.Submit), merged with the card's inputs. */
  value?: Record<string, unknown>;
  now: Date;
}

export interface Reply {
  /** An Adaptive Card, when the answer has one. */
  card?: object;
  /** The answer as plain text (the card's readable form), for the terminal and for logs. */
  text: string;
}

export interface TurnOutcome {
  replies: Reply[];
  state: ConversationData;
}

type Verb = 'refine' | 'nextPage' | 'ask';

/**
 * One turn: a typed message or a card action becomes a new hunt, a refinement of the current one,
 * a command (show the query, next page, reset, help) or a question back. Framework-free: the bot and
 * `hunt chat` both call it. The returned state replaces the old one; on an error the old state is kept.
 */
export async function handleTurn(deps: ConversationDeps, state: ConversationData, input: TurnInput): Promise<TurnOutcome> {
  const verb = readVerb(input.value);
  const text = (typeof input.value?.text === 'string' ? input.value.text : input.text ?? '').trim();
  try {
    if (verb === 'nextPage') return await showPage(deps, state, (state.page ?? 1) + 1, input.now);
    if (!text) return { replies: [card(helpCard(deps.skills))], state };
    // A sentence from an "ask" button (help, welcome) starts a new hunt; everything else may refine the current one.
    const current = verb === 'ask' ? undefined : state.hunt;
    const mapped = await deps.mapper.map(text, { current, now: input.now });
    return await act(deps, state, mapped, input.now);
  } catch (error) {
    return { replies: [errorReply(deps, error)], state };
  }
}

async function act(deps: ConversationDeps, state: ConversationData, mapped: MapResult, now: Date): Promise<TurnOutcome> {
  switch (mapped.kind) {
    case 'hunt':
      return showPage(deps, { hunt: mapped.hunt }, 1, now);
    case 'clarify':
      return { replies: [card(clarifyCard(mapped.message, mapped.suggestions))], state };
    case 'command':
      switch (mapped.command) {
        case 'help':
          return { replies: [card(helpCard(deps.skills))], state };
        case 'reset':
          return { replies: [{ text: 'Cleared the current hunt. Ask a new question, or type "help".' }], state: {} };
        case 'nextPage':
          return showPage(deps, state, (state.page ?? 1) + 1, now);
        case 'showQuery': {
          if (!state.hunt) return noHuntYet(deps, state);
          const skill = skillFor(deps.skills, state.hunt);
          const rendered = renderHunt(skill, state.hunt);
          return { replies: [card(queryCard(rendered.kql, describeHunt(skill, rendered.parameters)))], state };
        }
      }
  }
}

/** Runs the hunt again and shows one page of its groups; re-running keeps the state small. */
async function showPage(deps: ConversationDeps, state: ConversationData, page: number, now: Date): Promise<TurnOutcome> {
  const hunt = state.hunt;
  if (!hunt) return noHuntYet(deps, state);
  if (state.last && page > state.last.pageCount) {
    return { replies: [{ text: `That was the last page (${state.last.pageCount}). Refine the hunt, or ask a new question.` }], state };
  }
  const { skill, rendered, result, summary } = await runHunt(deps, hunt, { now, page });
  deps.log.info('hunt ran', { skill: skill.name, rows: result.rows.length, page: summary.page.page, elapsedMs: result.elapsedMs });
  const { totals } = summary;
  const next: ConversationData = {
    hunt,
    page: summary.page.page,
    last: { groups: totals.groups, connections: totals.connections, flagged: summary.flagged.length, pageCount: summary.page.pageCount, truncated: summary.truncated },
  };
  const answer = totals.groups === 0 ? noResultsCard(summary, { kql: rendered.kql, hunt, skill }) : huntCard(summary, { kql: rendered.kql, hunt, skill });
  return { replies: [card(answer)], state: next };
}

function noHuntYet(deps: ConversationDeps, state: ConversationData): TurnOutcome {
  return {
    replies: [card(clarifyCard('There is no hunt to continue yet. Ask a question first, for example:', deps.skills.flatMap((s) => s.examplePrompts).slice(0, 4)))],
    state,
  };
}

/** A user-caused error says what to do; anything else is logged with a correlation id and answered with an apology. */
function errorReply(deps: ConversationDeps, error: unknown): Reply {
  if (isHuntError(error)) return card(errorCard(error.userMessage, { hint: hintFor(error) }));
  const correlationId = randomUUID();
  deps.log.error('turn failed', { correlationId, stack: error instanceof Error ? error.stack : String(error) });
  return card(errorCard('Sorry, something went wrong while running this hunt.', {
    hint: 'Try again in a moment. If it keeps happening, give this id to your administrator.',
    correlationId,
  }));
}

function hintFor(error: HuntError): string {
  switch (error.code) {
    case 'InvalidParameter':
      return 'Change that value and ask again, or type "show query" to see what ran.';
    case 'UnknownSkill':
      return 'Type "help" to see the hunts this bot knows.';
    default:
      return 'Rephrase the request, or type "help" for examples.';
  }
}

function readVerb(value: Record<string, unknown> | undefined): Verb | undefined {
  const verb = value?.verb;
  return verb === 'refine' || verb === 'nextPage' || verb === 'ask' ? verb : undefined;
}

function card(content: object): Reply {
  return { card: content, text: cardToText(content) };
}
