import { createRequire } from 'node:module';
import { loadSkills } from '../../src/skills/manifest.ts';
import type { Skill } from '../../src/skills/types.ts';

type Json = Record<string, unknown>;
const require = createRequire(import.meta.url);

export function seedSkill(): Skill {
  const { skills, problems } = loadSkills();
  if (problems.length) throw new Error(problems.map((p) => p.userMessage).join('\n'));
  const skill = skills.find((s) => s.name === 'Detect outbound malicious traffic');
  if (!skill) throw new Error('seed skill not found');
  return skill;
}

/** Every object in a card (ShowCard cards included), depth first. */
export function nodesOf(card: unknown): Json[] {
  const out: Json[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) {
      out.push(v as Json);
      Object.values(v).forEach(visit);
    }
  };
  visit(card);
  return out;
}

/** The strings a host parses as markdown: TextBlock texts, fact titles and values. */
export function markdownTexts(card: unknown): string[] {
  return nodesOf(card).flatMap((n) => {
    if (n.type === 'TextBlock') return [n.text as string];
    if (n.type === 'FactSet') return (n.facts as { title: string; value: string }[]).flatMap((f) => [f.title, f.value]);
    return [];
  });
}

interface MarkdownIt { render(text: string): string }
let md: MarkdownIt | undefined;

/** Markdown as Web Chat renders it (botframework-webchat's renderMarkdown: markdown-it, HTML, linkify, typographer on). */
export function renderLikeWebChat(text: string): string {
  const MarkdownItClass = require('markdown-it') as new (o: object) => MarkdownIt;
  md ??= new MarkdownItClass({ breaks: false, html: true, linkify: true, typographer: true, xhtmlOut: true });
  return md.render(text);
}

/** The top-level actions, primary (shown as buttons) and secondary (overflow menu). */
export function actionsOf(card: Json): { primary: Json[]; secondary: Json[] } {
  const actions = (card.actions ?? []) as Json[];
  return { primary: actions.filter((a) => a.mode !== 'secondary'), secondary: actions.filter((a) => a.mode === 'secondary') };
}

export function actionTitled(card: Json, title: string): Json {
  const action = ((card.actions ?? []) as Json[]).find((a) => a.title === title);
  if (!action) throw new Error(`no action "${title}" in ${JSON.stringify((card.actions as Json[] | undefined)?.map((a) => a.title))}`);
  return action;
}
