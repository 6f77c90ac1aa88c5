/**
 * The seed's user-facing error texts ("User-Facing Error Responses"), verbatim. Replies that
 * report a lookup or action failure use these, so the wording is the same on every channel.
 */
export const ERROR_TEXTS = {
  order_not_found:
    "I couldn't find an order with that number. Could you please " +
    'double-check the order number or provide the email address ' +
    'used for the order?',
  integration_error:
    "I'm having trouble accessing your order details right now. " +
    'Let me connect you with a team member who can help. ' +
    'One moment please...',
  action_failed:
    "I wasn't able to complete that action automatically. " +
    "I've flagged this for our team and someone will follow up " +
    'within 24 hours. Is there anything else I can help with?',
} as const;

export type CommerceErrorCode = keyof typeof ERROR_TEXTS;

export function errorText(code: CommerceErrorCode): string {
  return ERROR_TEXTS[code];
}
