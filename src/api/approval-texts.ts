import type { CommerceConnector } from '../../connectors/types.js';
import type { Order } from '../domain/order.js';
import type { StoreSettings } from '../domain/settings.js';
import { createTemplateResponder } from '../pipeline/respond/template-responder.js';
import type { ProposedAction } from '../pipeline/types.js';

export type ApprovedActionRow = {
  action_type: ProposedAction['type'];
  order_number: string | null;
  action_data: unknown;
};

const templates = createTemplateResponder();

/**
 * The customer's confirmation after a person approved a store action and it ran: the template
 * responder's `action_done` reply, from the action's own data and the order as the platform has it
 * now (currency, item names). Nothing else goes in, so it states only what happened.
 */
export async function actionDoneText(input: {
  action: ApprovedActionRow;
  commerce: CommerceConnector;
  settings: StoreSettings;
  language: string | null;
  customerName: string | null;
  intent: string | null;
}): Promise<string> {
  const raw = (typeof input.action.action_data === 'string' ? JSON.parse(input.action.action_data) : input.action.action_data) as Partial<ProposedAction> | null;
  const orderNumber = input.action.order_number ?? raw?.orderNumber ?? '';
  const action: ProposedAction = {
    type: input.action.action_type,
    orderNumber,
    amount: typeof raw?.amount === 'number' ? raw.amount : undefined,
    lineItemIds: raw?.lineItemIds,
    address: raw?.address,
    reason: raw?.reason ?? 'approved by the store',
  };
  let order: Order | null = null;
  try {
    order = orderNumber ? await input.commerce.getOrderByNumber(orderNumber) : null;
  } catch {
    order = null; // the confirmation still names the order and amount from the action itself
  }
  const reply = await templates.respond({
    plan: 'action_done',
    decision: { ownership: 'verified', action, verdict: { status: 'allowed' }, escalation: null, plan: 'action_done', notes: [] },
    language: input.language ?? input.settings.default_language,
    customerName: input.customerName,
    customerMessage: '',
    question: '',
    sentiment: 'neutral',
    intent: input.intent ?? input.action.action_type,
    order,
    candidates: [],
    passages: [],
    products: [],
    settings: input.settings,
  });
  return reply.text;
}
