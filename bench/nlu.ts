// Mapping time per prompt of the rules mapper over the labelled set: `npm run bench:nlu`. Target: median under 1 ms.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRulesMapper } from '../src/nlu/rulesMapper.ts';
import { loadSkills } from '../src/skills/manifest.ts';
import type { Hunt } from '../src/skills/types.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50);
const set = JSON.parse(readFileSync(new URL('../tests/nlu/labelled-prompts.json', import.meta.url), 'utf8')) as {
  now: string;
  prompts: { text: string; context?: Hunt }[];
};
const now = new Date(set.now);
const mapper = createRulesMapper(loadSkills().skills);

// Warm-up: JIT, regex compilation and the typo cache, as in a running bot.
for (const p of set.prompts) await mapper.map(p.text, { now, current: p.context });

const times: number[] = [];
for (let i = 0; i < ITERATIONS; i++) {
  for (const p of set.prompts) {
    const start = performance.now();
    await mapper.map(p.text, { now, current: p.context });
    times.push(performance.now() - start);
  }
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
const ms = (v: number) => `${v.toFixed(3)} ms`;
console.log(`rules mapper: ${set.prompts.length} prompts x ${ITERATIONS} iterations = ${times.length} mappings`);
console.log(`median ${ms(at(0.5))}  p95 ${ms(at(0.95))}  p99 ${ms(at(0.99))}  max ${ms(times[times.length - 1])}`);
