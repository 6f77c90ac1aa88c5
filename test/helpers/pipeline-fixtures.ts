import type { Order } from '../../src/domain/order.js';
import { defaultSettings, type StoreSettings } from '../../src/domain/settings.js';
import type { Understanding } from '../../src/nlu/types.js';
import type { GatheredContext } from '../../src/pipeline/types.js';

export function understanding(over: Partial<Understanding> = {}): Understanding {
  return {
    language: 'en',
    intent: 'order_status',
    subIntents: [],
    confidence: 0.95,
    scores: {},
    sentiment: 'neutral',
    sentimentIntensity: 1,
    sentimentIndicators: [],
    entities: { orderNumbers: [], emails: [], trackingNumbers: [], products: [] },
    signals: { wantsHuman: false, legalThreat: false, safetyIssue: false, repeatContact: false, threatensChargeback: false, threatensReview: false },
    cleanedText: '',
    ...over,
  };
}

export function order(over: Partial<Order> = {}): Order {
  return {
    id: 'o1',
    storeId: 's1',
    externalId: '#W1000001',
    orderNumber: '#W1000001',
    email: 'ann@example.com',
    customerName: 'Ann Lee',
    customerExternalId: 'ann_1',
    state: 'pending',
    financialStatus: 'paid',
    fulfillmentStatus: null,
    totalPrice: 120,
    currency: 'USD',
    lineItems: [
      { id: 'li1', name: 'Water Bottle', quantity: 1, price: 40 },
      { id: 'li2', name: 'Yoga Mat', quantity: 1, price: 80 },
    ],
    shippingAddress: { address1: '1 Main St', city: 'Austin', province: 'TX', zip: '73301', country: 'USA' },
    fulfillments: [],
    trackingNumbers: [],
    placedAt: null,
    updatedAt: null,
    refundedAmount: 0,
    ...over,
  };
}

export function context(over: Partial<GatheredContext> & { order?: Order | null } = {}): GatheredContext {
  const { order: o = null, ...rest } = over;
  return {
    orders: { order: o, candidates: [], stale: false, lookupError: null },
    passages: [],
    customer: null,
    history: [],
    actionsToday: 0,
    products: [],
    ...rest,
  };
}

export const settings = (over: Partial<StoreSettings> = {}): StoreSettings => ({ ...defaultSettings(), ...over });
