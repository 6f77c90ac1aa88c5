import { z } from 'zod';
import { coreEnvSchema } from './core.js';
import { emailEnvSchema } from './email.js';
import { helpdeskEnvSchema } from './helpdesk.js';
import { openaiEnvSchema } from './openai.js';
import { shopifyEnvSchema } from './shopify.js';

/** Every environment variable the service reads. This module is the only reader of process.env. */
export const configSchema = coreEnvSchema
  .extend(openaiEnvSchema.shape)
  .extend(helpdeskEnvSchema.shape)
  .extend(shopifyEnvSchema.shape)
  .extend(emailEnvSchema.shape);

/**
 * Rules across variables. Checked on the raw environment so they are reported together with
 * per-variable errors (zod skips refinements when the object itself fails).
 */
function crossFieldProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
  if ((env.NODE_ENV ?? '') === 'production' && !set('ENCRYPTION_KEY')) {
    problems.push('ENCRYPTION_KEY: is required in production');
  }
  if (set('SHOPIFY_API_KEY') !== set('SHOPIFY_API_SECRET')) {
    problems.push('SHOPIFY_API_SECRET: SHOPIFY_API_KEY and SHOPIFY_API_SECRET must be set together');
  }
  if (set('METRICS_PORT') && !set('METRICS_TOKEN')) {
    problems.push('METRICS_TOKEN: is required when METRICS_PORT is set (metrics are served only to a token holder)');
  }
  return problems;
}

export type Config = z.infer<typeof configSchema>;

/** Thrown with every problem at once, so a bad deployment is fixed in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        // Never echo the offending value: it may be a secret.
        return `${name}: ${issue.message}`;
      });
  problems.push(...crossFieldProblems(env));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}
