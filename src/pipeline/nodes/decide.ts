import { checkAction } from '../../commerce/policy-limits.js';
import { ORDER_INTENTS, type Priority } from '../../domain/intents.js';
import type { Address, Order } from '../../domain/order.js';
import type { StoreSettings } from '../../domain/settings.js';
import type { Understanding } from '../../nlu/types.js';
import { isPolicyQuestion, proposeAction } from '../propose-action.js';
import { relevantPassages } from '../relevance.js';
import type { ActionVerdict, Decision, Escalation, GatheredContext, Ownership, ReplyPlan } from '../types.js';

export type DecideInput = {
  understanding: Understanding;
  /** The requester's address as the channel reports it (ticket requester, email sender, API). */
  requesterEmail: string | null;
  context: GatheredContext;
  settings: StoreSettings;
  /** A new shipping address found in the message, for address changes. */
  newAddress: Address | null;
};


/**
 * Deterministic decision (DESIGN step 5): who the requester is to this order, which action the
 * store's policy and settings allow, and whether a human must take over. Nothing in the message can
 * widen what is allowed: the message only selects among actions the order's facts permit.
 */
export function decide(input: DecideInput): Decision {
  const { understanding: u, context, settings } = input;
  const notes: string[] = [];
  const order = context.orders.order;
  const ownership = ownershipOf(order, input.requesterEmail);
  if (order) notes.push(`order ${order.orderNumber} is ${order.state}; ownership ${ownership}`);

  const escalation = escalationFor(input, ownership, notes);
  if (escalation) {
    return { ownership, action: null, verdict: null, escalation, plan: 'handoff', notes };
  }

  const intent = u.intent;
  const relevant = relevantPassages(context.passages, u.cleanedText);
  if (context.passages.length && !relevant.length) notes.push('no policy passage matches the question');
  const answerPlan: ReplyPlan = relevant.length ? 'policy_answer' : 'acknowledge';
  if (intent === 'product_question' && context.products.length) {
    return { ownership, action: null, verdict: null, escalation: null, plan: 'product_info', notes };
  }
  if (!ORDER_INTENTS.has(intent)) {
    if (answerPlan === 'acknowledge' && !isThanks(u.cleanedText)) {
      // Nothing we know answers it: a person does, rather than the bot guessing.
      const esc: Escalation = { reason: 'outside_procedures', priority: 'low', detail: 'no policy passage or catalogue fact answers this question' };
      notes.push(`escalate: ${esc.reason} (${esc.detail})`);
      return { ownership, action: null, verdict: null, escalation: esc, plan: 'handoff', notes };
    }
    return { ownership, action: null, verdict: null, escalation: null, plan: answerPlan, notes };
  }
  // "How long do returns take?" asks about the policy; it does not ask us to act.
  const policyQuestion = isPolicyQuestion(u.cleanedText) && intent !== 'order_status';
  if (policyQuestion && !order) {
    return { ownership, action: null, verdict: null, escalation: null, plan: answerPlan, notes };
  }
  if (context.orders.lookupError === 'integration_error') {
    const esc: Escalation = { reason: 'integration_error', priority: 'medium', detail: 'the store platform did not answer and no cached order exists' };
    return { ownership, action: null, verdict: null, escalation: esc, plan: 'integration_error', notes };
  }
  if (!order) {
    const plan: ReplyPlan = context.orders.lookupError === 'order_not_found'
      ? 'order_not_found'
      : context.orders.candidates.length > 0 && intent === 'order_status'
        ? 'order_list'
        : input.requesterEmail
          ? 'ask_order_number'
          : 'ask_email';
    return { ownership, action: null, verdict: null, escalation: null, plan, notes };
  }
  if (ownership === 'unknown_requester') return { ownership, action: null, verdict: null, escalation: null, plan: 'ask_email', notes };
  if (ownership === 'mismatch') {
    notes.push('requester email differs from the order email: no detail disclosed, nothing changed');
    return { ownership, action: null, verdict: null, escalation: null, plan: 'verify_identity', notes };
  }
  if (intent === 'order_status') return { ownership, action: null, verdict: null, escalation: null, plan: 'order_status', notes };

  if (policyQuestion) {
    return { ownership, action: null, verdict: null, escalation: null, plan: relevant.length ? 'policy_answer' : 'order_status', notes };
  }
  const action = proposeAction(intent, order, u, input.newAddress);
  if (!action) {
    notes.push('no action could be derived (e.g. no new address given)');
    return { ownership, action: null, verdict: null, escalation: null, plan: intent === 'address_change' ? 'ask_address' : 'order_status', notes };
  }
  const check = checkAction({
    action: action.type,
    order,
    amount: action.amount,
    settings,
    actionsTodayForCustomer: context.actionsToday,
    requesterEmail: input.requesterEmail,
  });
  const verdict: ActionVerdict =
    check.allowed === true
      ? { status: 'allowed' }
      : check.allowed === 'needs_approval'
        ? { status: 'needs_approval', reason: check.reason }
        : { status: 'refused', code: check.code, reason: check.reason };
  notes.push(`${action.type} on ${order.orderNumber}: ${verdict.status}${'reason' in verdict ? ` (${verdict.reason})` : ''}`);
  const plan: ReplyPlan =
    verdict.status === 'allowed' ? 'action_done' : verdict.status === 'needs_approval' ? 'action_pending_approval' : 'action_refused';
  return { ownership, action, verdict, escalation: null, plan, notes };
}

export function ownershipOf(order: Order | null, requesterEmail: string | null): Ownership {
  if (!order) return 'no_order';
  if (!requesterEmail) return 'unknown_requester';
  return order.email && order.email.toLowerCase() === requesterEmail.trim().toLowerCase() ? 'verified' : 'mismatch';
}

/** The seed's escalation triggers, in order of severity. */
function escalationFor(input: DecideInput, ownership: Ownership, notes: string[]): Escalation | null {
  const { understanding: u, context, settings } = input;
  const s = u.signals;
  const esc = (reason: Escalation['reason'], priority: Priority, detail: string): Escalation => {
    notes.push(`escalate: ${reason} (${detail})`);
    return { reason, priority, detail };
  };
  if (s.legalThreat || s.safetyIssue) {
    return esc('legal_or_safety', 'urgent', s.legalThreat ? 'legal threat in the message' : 'possible safety issue');
  }
  if (s.wantsHuman) return esc('human_requested', u.sentiment === 'frustrated' ? 'high' : 'medium', 'the customer asked for a person');
  const botAnswered = context.history.some((m) => m.role === 'assistant');
  if (u.sentiment === 'frustrated' && botAnswered) {
    return esc('frustrated_after_attempt', 'high', `frustrated (intensity ${u.sentimentIntensity}) after the bot already answered`);
  }
  // Third+ contact: two earlier customer messages about the same thing, or the customer says so
  // ("third time I write", "still waiting") after an earlier message or in anger.
  const priorUser = context.history.filter((m) => m.role === 'user');
  const priorSameIntent = priorUser.filter((m) => m.intent === u.intent).length;
  const saysRepeat = s.repeatContact && !u.sentimentIndicators.includes('repeat_contact:conversation');
  if (priorSameIntent >= 2 || (saysRepeat && (priorUser.length >= 1 || u.sentiment === 'negative' || u.sentiment === 'frustrated'))) {
    return esc('repeat_contact', 'high', priorUser.length ? `message ${priorUser.length + 1} about this issue` : 'the customer says they have written about this before');
  }
  if (s.threatensChargeback) return esc('outside_procedures', 'high', 'the customer threatens a chargeback');
  const order = context.orders.order;
  if (order && ownership === 'verified' && order.totalPrice > settings.high_value_threshold && u.intent === 'complaint') {
    return esc('high_value_order', 'high', `complaint about an order of ${order.totalPrice} ${order.currency}`);
  }
  if (u.confidence < settings.escalation_threshold) {
    return esc('low_confidence', 'low', `intent confidence ${u.confidence.toFixed(2)} below ${settings.escalation_threshold}`);
  }
  return null;
}

const THANKS = /\b(thanks?|thank you|thx|cheers|appreciated?|merci|gracias|danke)\b/i;

/** A short thank-you or sign-off that needs no answer beyond "you're welcome". */
export function isThanks(text: string): boolean {
  return text.trim().length <= 160 && THANKS.test(text) && !/\?/.test(text);
}
