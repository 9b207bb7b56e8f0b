import { z } from 'zod';
import { fileURLToPath } from 'node:url';
import { HuntError } from './errors.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = z.preprocess(emptyAsUndefined, z.string().optional());

/** Every setting the product reads, from the environment (`.env` locally, App Service settings in Azure). */
const schema = z.object({
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.preprocess(emptyAsUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant')),
  MicrosoftAppTenantId: optionalText,
  SKILLS_DIR: z.preprocess(emptyAsUndefined, z.string().default(`${projectRoot}prompts`)),
  HUNT_ENGINE: z.preprocess(emptyAsUndefined, z.enum(['local']).default('local')),
  LOCAL_DATA_DIR: optionalText,
  SAMPLE_CACHE_DIR: z.preprocess(emptyAsUndefined, z.string().default(`${projectRoot}.cache/sample`)),
  MAX_RESULT_ROWS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(500000).default(10000)),
  STATE_STORAGE: z.preprocess(emptyAsUndefined, z.enum(['memory', 'blob']).default('memory')),
  STATE_BLOB_CONNECTION_STRING: optionalText,
  STATE_BLOB_CONTAINER: z.preprocess(emptyAsUndefined, z.string().default('hunt-state')),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['debug', 'info', 'warn', 'error']).default('info')),
}).superRefine((c, ctx) => {
  if (c.STATE_STORAGE === 'blob' && !c.STATE_BLOB_CONNECTION_STRING) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['STATE_BLOB_CONNECTION_STRING'], message: 'is required when STATE_STORAGE=blob' });
  }
  if (c.MicrosoftAppType === 'SingleTenant' && c.MicrosoftAppId && !c.MicrosoftAppTenantId) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['MicrosoftAppTenantId'], message: 'is required when MicrosoftAppType=SingleTenant' });
  }
});

export type Config = z.infer<typeof schema> & { localMode: boolean; projectRoot: string };

/** Reads and validates the configuration once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new HuntError('InvalidConfiguration', `Invalid configuration: ${problems}`);
  }
  return { ...parsed.data, localMode: !parsed.data.MicrosoftAppId, projectRoot };
}
