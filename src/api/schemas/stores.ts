import { z } from 'zod';
import { storeSettingsSchema } from '../../domain/settings.js';
import { isoDateTime, permissionSchema, uuid } from './common.js';

// ---- store and settings ----

/**
 * PATCH body. Validation is two steps (src/api/settings-patch.ts): this shape, then the patch
 * deep-merged onto the current settings and parsed with the settings schema. The documented
 * `settings` is that schema's input form, where every field is optional.
 */
export const patchStoreBody = z
  .object({
    // Passed through as parsed from JSON (not copied key by key), so a "__proto__" key stays
    // data and is reported as an unknown setting.
    settings: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected an object'),
  })
  .strict();
export const patchStoreBodyDoc = z.object({ settings: storeSettingsSchema }).meta({ id: 'StorePatch' });

export const storeSchema = z
  .object({
    id: uuid,
    slug: z.string(),
    name: z.string(),
    platform: z.string(),
    domain: z.string().nullable(),
    status: z.enum(['active', 'uninstalled']),
    settings: storeSettingsSchema,
    connectors: z.array(z.object({ kind: z.string(), meta: z.record(z.string(), z.unknown()), updated_at: isoDateTime })),
    created_at: isoDateTime,
    updated_at: isoDateTime,
  })
  .meta({ id: 'Store' });

// ---- API keys ----

export const createApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    permissions: z.array(permissionSchema).min(1).max(3).transform((p) => [...new Set(p)]),
  })
  .strict();

export const apiKeyParams = z.object({ storeId: z.string().min(1).max(100), keyId: uuid });

const apiKeyFields = {
  id: uuid,
  name: z.string(),
  prefix: z.string().describe('first characters of the key, to recognise it'),
  permissions: z.array(permissionSchema),
};

export const createdApiKeySchema = z
  .object({ ...apiKeyFields, key: z.string().describe('the key itself: shown once, store it now'), created_at: isoDateTime })
  .meta({ id: 'CreatedApiKey' });

export const apiKeyListSchema = z
  .object({
    data: z.array(
      z.object({
        ...apiKeyFields,
        created_at: isoDateTime,
        last_used_at: isoDateTime.nullable(),
        revoked_at: isoDateTime.nullable(),
      }),
    ),
  })
  .meta({ id: 'ApiKeyList' });

// ---- analytics ----

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');

export const analyticsQuery = z
  .object({
    start_date: day.optional().describe('first day (UTC), default end_date − 29 days'),
    end_date: day.optional().describe('last day (UTC, inclusive), default today'),
  })
  .strict();

const counts = z.record(z.string(), z.number().int());

export const analyticsSchema = z
  .object({
    start_date: z.string(),
    end_date: z.string(),
    total_conversations: z.number().int(),
    automated_conversations: z.number().int(),
    escalated_conversations: z.number().int(),
    resolved_conversations: z.number().int(),
    automation_rate: z.number(),
    escalation_rate: z.number(),
    resolution_rate: z.number(),
    avg_response_time_ms: z.number().int().nullable().describe('conversation start → first public reply'),
    avg_processing_time_ms: z.number().int().nullable().describe("the pipeline's time per turn"),
    csat_average: z.number().nullable(),
    csat_responses: z.number().int(),
    intents: counts,
    actions: z.record(z.string(), counts),
    outcomes: counts,
    cost_usd: z.number(),
    tokens: z.number().int(),
    daily: z.array(z.object({ date: z.string(), conversations: z.number().int(), automated: z.number().int(), escalated: z.number().int(), avg_response_time_ms: z.number().nullable() })),
  })
  .meta({ id: 'Analytics' });
