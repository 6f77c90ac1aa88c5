/** The ten intents of the product (seed: `Intent` enum). Order matters only for display. */
export const INTENTS = [
  'order_status',
  'return_request',
  'refund_request',
  'address_change',
  'cancel_order',
  'product_question',
  'shipping_question',
  'general_inquiry',
  'complaint',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];

export const SENTIMENTS = ['positive', 'neutral', 'negative', 'frustrated'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && (INTENTS as readonly string[]).includes(value);
}

/** Intents about one order: they need the order, its owner, and may lead to a store action. */
export const ORDER_INTENTS: ReadonlySet<string> = new Set<Intent>([
  'order_status',
  'cancel_order',
  'refund_request',
  'return_request',
  'address_change',
]);
