import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HuntError } from '../errors.ts';
import type { Hunt } from '../skills/types.ts';

const huntSchema = z.object({
  skill: z.string().min(1),
  parameters: z.record(z.union([z.string(), z.number(), z.array(z.string()), z.array(z.number())])).default({}),
});

/** `--context`: a hunt as JSON (what `hunt parse --json` prints under `hunt`), or a file holding it. */
export function parseContext(text: string | undefined): Hunt | undefined {
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text.trim().startsWith('{') ? text : readFileSync(text, 'utf8'));
  } catch (e) {
    throw new HuntError('BadContext', `--context must be a hunt as JSON, e.g. {"skill":"...","parameters":{}} (${(e as Error).message}).`);
  }
  const candidate = (json as { hunt?: unknown })?.hunt ?? json; // accept a whole MapResult too
  const parsed = huntSchema.safeParse(candidate);
  if (!parsed.success) throw new HuntError('BadContext', `--context is not a hunt: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'hunt'} ${i.message}`).join('; ')}.`);
  return parsed.data;
}

/** `--now`: an ISO 8601 time that "last 24 hours", ago() and now() are read against. */
export function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new HuntError('BadNow', `--now must be an ISO 8601 time such as 2026-12-04T12:00:00Z (got "${text}").`);
  return new Date(time);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
