import { api } from '../api';

export type DeliveryResult = { status: 'sent' | 'failed' | 'timeout'; detail?: string };

/**
 * An approved draft is delivered by a worker job: follow the message until it is sent (or failed),
 * so the lead sees the outcome instead of a bare "accepted".
 */
export async function waitForDelivery(conversationId: string, messageId: string, timeoutMs = 45_000): Promise<DeliveryResult> {
  const deadline = Date.now() + timeoutMs;
  let delay = 400;
  while (Date.now() < deadline) {
    const conv = await api.conversation(conversationId);
    const msg = conv.messages.find((m) => m.id === messageId);
    if (msg?.status === 'sent') return { status: 'sent' };
    if (msg?.status === 'failed') return { status: 'failed', detail: 'the channel refused the message' };
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 1.5, 3000);
  }
  return { status: 'timeout' };
}
