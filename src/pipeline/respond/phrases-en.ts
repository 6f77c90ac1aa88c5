/**
 * English phrases. Every function takes only facts; nothing is invented. Other languages implement
 * the same shape (missing entries fall back to English).
 */
export const en = {
  greeting: (name: string | null) => (name ? `Hi ${name.split(' ')[0]},` : 'Hi,'),
  sorry: 'I’m sorry about the trouble with this.',
  closing: 'Is there anything else I can help with?',
  status: {
    pending: (n: string) => `Your order ${n} has been received and is being prepared. It has not shipped yet.`,
    paid: (n: string) => `Your order ${n} is paid and being prepared. It has not shipped yet.`,
    fulfilled: (n: string) => `Your order ${n} has been packed and handed to the carrier.`,
    in_transit: (n: string) => `Your order ${n} has shipped and is on its way.`,
    delivered: (n: string) => `Your order ${n} was delivered.`,
    cancelled: (n: string) => `Your order ${n} was cancelled.`,
    refunded: (n: string) => `Your order ${n} was refunded.`,
    returned: (n: string) => `Your order ${n} was returned.`,
  },
  tracking: (numbers: string, carrier: string | null) =>
    `Tracking number: ${numbers}${carrier ? ` (${carrier})` : ''}.`,
  items: (list: string) => `It contains: ${list}.`,
  orderList: (lines: string) => `Here are the recent orders under your email address:\n${lines}`,
  askOrderNumber: 'Could you send me your order number (for example #W1234567)? I’ll look it up right away.',
  askEmail:
    'To look up your order I need to confirm it’s yours: please write to us from the email address used for the order, or tell me that address and the order number.',
  verifyIdentity:
    'For your security I can only share or change order details with the person who placed the order. Please write to us from the email address used for that order, and I’ll be glad to help.',
  // Seed's user-facing error texts (verbatim).
  orderNotFound:
    'I couldn\'t find an order with that number. Could you please double-check the order number or provide the email address used for the order?',
  integrationError:
    'I\'m having trouble accessing your order details right now. Let me connect you with a team member who can help. One moment please...',
  actionFailed:
    'I wasn\'t able to complete that action automatically. I\'ve flagged this for our team and someone will follow up within 24 hours. Is there anything else I can help with?',
  done: {
    cancel_order: (n: string, amount: string | null) =>
      `I’ve cancelled your order ${n}.${amount ? ` A refund of ${amount} goes back to your original payment method.` : ''}`,
    refund: (n: string, amount: string | null) =>
      `I’ve issued a refund${amount ? ` of ${amount}` : ''} for your order ${n}. It goes back to your original payment method.`,
    address_change: (n: string, address: string) => `I’ve updated the shipping address of your order ${n} to: ${address}.`,
    return_request: (n: string, items: string) =>
      `I’ve opened a return for ${items} from your order ${n}. You’ll receive the return instructions by email.`,
  },
  pending: {
    cancel_order: (n: string) => `I’ve asked our team to approve the cancellation of your order ${n}; you’ll hear from us shortly.`,
    refund: (n: string, amount: string | null) =>
      `I’ve asked our team to approve a refund${amount ? ` of ${amount}` : ''} for your order ${n}; you’ll hear from us shortly.`,
    address_change: (n: string) => `I’ve asked our team to approve the address change for your order ${n}; you’ll hear from us shortly.`,
    return_request: (n: string) => `I’ve asked our team to approve the return for your order ${n}; you’ll hear from us shortly.`,
  },
  refused: {
    already_shipped_cancel: (n: string) =>
      `Your order ${n} has already shipped, so it can no longer be cancelled. Once it arrives, you can return it.`,
    already_shipped_address: (n: string) =>
      `Your order ${n} has already shipped, so its shipping address can no longer be changed.`,
    already_cancelled: (n: string) => `Your order ${n} is already cancelled, so there is nothing more to change on it.`,
    not_delivered_return: (n: string) =>
      `Your order ${n} hasn’t been delivered yet, so a return can’t be opened. Once it arrives, just reply and I’ll start the return.`,
    generic: (n: string) => `I can’t do that for your order ${n} under our store policy.`,
  },
  askAddress: (n: string) =>
    `I can update the shipping address of your order ${n} while it hasn’t shipped. Please send the full new address (street, city, state, ZIP code).`,
  policyIntro: 'Here is what our policy says:',
  productIntro: (name: string) => `${name} is available with these options:`,
  productPrices: (min: string, max: string) => (min === max ? `Price: ${min}.` : `Prices range from ${min} to ${max}.`),
  productNone: (name: string) => `${name} is currently out of stock.`,
  welcome: 'You’re welcome! I’m glad it’s sorted.',
  holding: 'Thanks for your message! Our team is offline right now; we’ll get back to you as soon as we’re back.',
  handoff: 'I’ve passed your message to a member of our team, who will get back to you as soon as possible.',
  acknowledge: 'Thanks for your message. A member of our team will get back to you shortly.',
};

export type Phrases = typeof en;
