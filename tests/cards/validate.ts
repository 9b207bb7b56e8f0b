/**
 * Card validation for tests: the official Adaptive Card 1.5 JSON schema (a copy of
 * microsoft/AdaptiveCards schemas/1.5.0/adaptive-card.json, MIT, beside this file so tests do not depend
 * on ../shared) and the `adaptivecards` parser, which is what Web Chat renders with.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

let schemaCheck: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!schemaCheck) {
    // Strict off: the schema carries annotations ajv does not know (`version`, `features`).
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
    // The schema is draft-06 and names itself with the root `id`, which ajv 8 refuses: read it as `$id`.
    const { id, ...schema } = JSON.parse(readFileSync(new URL('./adaptive-card-1.5.json', import.meta.url), 'utf8'));
    schemaCheck = ajv.compile({ $id: id, ...schema });
  }
  return schemaCheck;
}

interface ParseContext { eventCount: number; getEventAt(i: number): { message: string } }
interface AdaptiveCardsModule {
  AdaptiveCard: new () => { parse(json: unknown, context: ParseContext): void };
  SerializationContext: new () => ParseContext;
}
let adaptiveCards: AdaptiveCardsModule | undefined;

/**
 * Every problem with a card, as readable lines; an empty list means valid. The root `msteams` key is a
 * Teams host extension the schema does not know (AdaptiveCard has additionalProperties: false), so it
 * alone is set aside for the schema check.
 */
export function validateCard(card: unknown): string[] {
  const problems: string[] = [];
  const { msteams: _teamsOnly, ...rest } = card as Record<string, unknown>;
  const check = schemaValidator();
  if (!check(rest)) {
    for (const e of check.errors ?? []) problems.push(`schema: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
  adaptiveCards ??= require('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;
  const context = new adaptiveCards.SerializationContext();
  new adaptiveCards.AdaptiveCard().parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`adaptivecards: ${context.getEventAt(i).message}`);
  return problems;
}
