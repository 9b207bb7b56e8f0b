import { renderHunt, skillFor } from '../skills/render.ts';
import { describeHunt } from '../nlu/describe.ts';
import { DEFAULT_PAGE_SIZE, summarize } from '../summary/summarize.ts';
import { inputForSlot } from '../skills/slots.ts';
import type { HuntSummary } from '../summary/types.ts';
import type { QueryEngine, QueryResult } from '../engines/types.ts';
import type { Hunt, RenderedHunt, Skill } from '../skills/types.ts';

/** What a hunt run needs: the skills it may name and the engine that runs the KQL. */
export interface HuntRunDeps {
  skills: Skill[];
  engine: QueryEngine;
  /** Row cap passed to the engine; the summary says when a result was cut. */
  maxRows: number;
}

export interface HuntRun {
  skill: Skill;
  rendered: RenderedHunt;
  result: QueryResult;
  summary: HuntSummary;
}

/**
 * One hunt from start to end: render the skill's KQL with the hunt's parameters, run it, summarize one page.
 * Shared by the chat conversation and `hunt ask`; throws HuntErrors for bad values or queries.
 */
export async function runHunt(deps: HuntRunDeps, hunt: Hunt, opts: { now: Date; page?: number }): Promise<HuntRun> {
  const skill = skillFor(deps.skills, hunt);
  const rendered = renderHunt(skill, hunt);
  const result = await deps.engine.run(rendered.kql, { now: opts.now, maxRows: deps.maxRows });
  const summary = summarize(result, {
    explanation: describeHunt(skill, rendered.parameters),
    title: skill.displayName,
    page: opts.page ?? 1,
    pageSize: pageSizeOf(skill, rendered),
  });
  return { skill, rendered, result, summary };
}

/** The page size comes from the skill's `top` slot input, so a skill decides how many groups a card shows. */
function pageSizeOf(skill: Skill, rendered: RenderedHunt): number {
  const topInput = inputForSlot(skill, 'top');
  const value = topInput ? rendered.parameters[topInput.name] : undefined;
  return typeof value === 'number' ? value : DEFAULT_PAGE_SIZE;
}
