/**
 * Which parts of a store's knowledge matter for each intent, as words looked for in a passage's
 * heading path or document category. A ranking boost, never a filter: a store's policy may be
 * one document, and the message may be about something else than its intent says.
 */
export const INTENT_TOPICS: Record<string, string[]> = {
  cancel_order: ['cancel'],
  return_request: ['return', 'exchange'],
  refund_request: ['refund', 'return', 'cancel'],
  address_change: ['address', 'modify', 'shipping'],
  order_status: ['status', 'tracking', 'shipping', 'delivery'],
  shipping_question: ['shipping', 'delivery', 'tracking'],
  product_question: ['product', 'item', 'size'],
  complaint: ['return', 'refund', 'exchange', 'escalat'],
  general_inquiry: [],
  other: [],
};

/** Multiplier for a full-text score when the passage lies under a topic of the intent. */
export const INTENT_FTS_BOOST = 1.3;
/** Added to a cosine similarity for the same reason (similarities are in [-1, 1]). */
export const INTENT_VECTOR_BOOST = 0.03;

export function matchesIntent(
  intent: string | undefined,
  passage: { headingPath: string; category: string | null },
): boolean {
  const topics = intent ? INTENT_TOPICS[intent] : undefined;
  if (!topics || topics.length === 0) return false;
  const where = `${passage.headingPath} ${passage.category ?? ''}`.toLowerCase();
  return topics.some((t) => where.includes(t));
}
