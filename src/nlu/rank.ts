import type { Skill } from '../skills/types.ts';
import { STOP_WORDS, stem } from './text.ts';

// Okapi BM25 over each skill's own words (display name, description, example prompts, input descriptions),
// so a new manifest is reachable from chat without code.
const K1 = 1.2;
const B = 0.75;

export interface Ranked {
  skill: Skill;
  score: number;
  /** Query stems found in this skill's text. */
  matched: string[];
}

/** The words a skill is described with, plus the names of the tables its query reads. */
export function skillWords(skill: Skill): string[] {
  const text = [skill.displayName, skill.description, ...skill.examplePrompts, ...skill.inputs.map((i) => i.description), ...tablesRead(skill)].join(' ');
  return splitWords(text);
}

/** Tables a skill's query reads: lines that are just a name, as "DeviceNetworkEvents" starts a KQL query. */
export function tablesRead(skill: Skill): string[] {
  return [...skill.template.matchAll(/^\s*([A-Z][A-Za-z0-9_]*)\s*(?:\|.*)?$/gm)].map((m) => m[1]);
}

/** Lower-case words, with camelCase names split: "DeviceNetworkEvents" -> device, network, events. */
export function splitWords(text: string): string[] {
  return (text.replace(/([a-z])([A-Z])/g, '$1 $2').match(/[A-Za-z]+/g) ?? []).map((w) => w.toLowerCase());
}

export class SkillRanker {
  private readonly docs: { skill: Skill; tf: Map<string, number>; length: number }[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;

  constructor(skills: Skill[]) {
    this.docs = skills.map((skill) => {
      const tf = new Map<string, number>();
      const stems = skillWords(skill).filter((w) => !STOP_WORDS.has(w)).map(stem);
      for (const s of stems) tf.set(s, (tf.get(s) ?? 0) + 1);
      return { skill, tf, length: stems.length };
    });
    for (const doc of this.docs) for (const s of doc.tf.keys()) this.df.set(s, (this.df.get(s) ?? 0) + 1);
    this.avgLength = this.docs.reduce((n, d) => n + d.length, 0) / Math.max(1, this.docs.length);
  }

  /** Whether any skill uses this (already stemmed) word. */
  knows(stemmed: string): boolean {
    return this.df.has(stemmed);
  }

  /** Skills by BM25 score for these query words (stop words are ignored), best first. */
  rank(queryWords: string[]): Ranked[] {
    const query = [...new Set(queryWords.filter((w) => !STOP_WORDS.has(w)).map(stem))];
    const n = this.docs.length;
    return this.docs
      .map(({ skill, tf, length }) => {
        let score = 0;
        const matched: string[] = [];
        for (const q of query) {
          const f = tf.get(q);
          if (!f) continue;
          const df = this.df.get(q)!;
          const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
          score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * length) / this.avgLength));
          matched.push(q);
        }
        return { skill, score, matched };
      })
      .sort((a, b) => b.score - a.score || a.skill.displayName.localeCompare(b.skill.displayName));
  }
}
