import { z } from 'zod';
import { INTENTS } from './intents.js';

export const DELIVERY_MODES = ['off', 'draft', 'auto'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

const mode = z.enum(DELIVERY_MODES);
const money = z.number().min(0).max(1_000_000);

/** Per-intent delivery mode. Unknown intents fall back to `default`. */
const modesSchema = z
  .object({ default: mode.default('draft') })
  .extend(Object.fromEntries(INTENTS.map((i) => [i, mode.optional()])) as Record<
    (typeof INTENTS)[number],
    z.ZodOptional<typeof mode>
  >);

const escalationTargetSchema = z.object({
  teamId: z.string().optional(),
  groupId: z.string().optional(),
  assigneeId: z.string().optional(),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

export const businessHoursSchema = z.object({
  enabled: z.boolean().default(false),
  timezone: z.string().default('UTC'),
  /** 0 = Sunday … 6 = Saturday */
  days: z.array(z.number().int().min(0).max(6)).default([1, 2, 3, 4, 5]),
  start: hhmm.default('09:00'),
  end: hhmm.default('17:00'),
  /** Outside hours: only drafts, or a holding reply ("we'll get back to you"). */
  outsideHours: z.enum(['draft', 'holding_reply']).default('draft'),
});

/**
 * Store settings: one schema, with defaults, used by the API (PATCH validation),
 * the pipeline (decide/deliver) and the dashboard.
 */
export const storeSettingsSchema = z.object({
  modes: modesSchema.default({ default: 'draft' }),
  /** Minimum intent confidence for `auto`; below it, `auto` falls back to `draft`. */
  confidence_threshold: z.number().min(0).max(1).default(0.75),
  /** Below this confidence the ticket is escalated to a human. */
  escalation_threshold: z.number().min(0).max(1).default(0.4),
  /** Refunds up to this amount may run without approval. */
  auto_refund_limit: money.default(50),
  /** Orders above this total are escalated when something is wrong with them. */
  high_value_threshold: money.default(500),
  /** Actions any one customer may have done automatically per day; more wait for approval. */
  max_actions_per_customer_per_day: z.number().int().min(0).max(100).default(3),
  max_auto_replies_per_thread_per_day: z.number().int().min(0).max(100).default(3),
  /**
   * Zendesk, Gorgias and email: seconds a new customer message waits before the bot looks at it.
   * Messages sent in a row within it are answered together by one reply (each new one restarts
   * the wait).
   */
  reply_delay_s: z.number().int().min(0).max(600).default(0),
  escalation: z
    .object({
      zendesk: escalationTargetSchema.default({}),
      gorgias: escalationTargetSchema.default({}),
      email: z.object({ forwardTo: z.string().email().optional() }).default({}),
    })
    .default({ zendesk: {}, gorgias: {}, email: {} }),
  tags: z.object({ enabled: z.boolean().default(true), prefix: z.string().max(20).default('') }).default({
    enabled: true,
    prefix: '',
  }),
  business_hours: businessHoursSchema.default(businessHoursSchema.parse({})),
  brand_voice: z.string().max(2000).default('friendly and concise'),
  signature: z.string().max(500).default('The support team'),
  default_language: z.string().min(2).max(5).default('en'),
  channels: z
    .object({
      zendesk: z.boolean().default(true),
      gorgias: z.boolean().default(true),
      email: z.boolean().default(true),
      widget: z.boolean().default(true),
      api: z.boolean().default(true),
    })
    .default({ zendesk: true, gorgias: true, email: true, widget: true, api: true }),
});

export type StoreSettings = z.infer<typeof storeSettingsSchema>;

/** Defaults for a new store. */
export function defaultSettings(): StoreSettings {
  return storeSettingsSchema.parse({});
}

/** Reads settings stored as JSON, filling any field added since they were saved. */
export function parseSettings(raw: unknown): StoreSettings {
  return storeSettingsSchema.parse(raw ?? {});
}

/** The mode for one intent: its own, else the store's default. */
export function modeFor(settings: StoreSettings, intent: string): DeliveryMode {
  const own = (settings.modes as Record<string, DeliveryMode | undefined>)[intent];
  return own ?? settings.modes.default;
}
