import type { Order } from '../../domain/order.js';
import type { StoreSettings } from '../../domain/settings.js';
import type { Passage } from '../../knowledge/retrieve.js';
import type { Decision } from '../types.js';
import type { ProductInfo } from '../product-facts.js';

/** Everything a reply may be built from. A reply must not state anything that is not in here. */
export type ReplyFacts = {
  plan: Decision['plan'];
  decision: Decision;
  language: string;
  customerName: string | null;
  customerMessage: string;
  /** The message as understand read it (quoted history and signature removed): what the reply answers. */
  question: string;
  sentiment: string;
  intent: string;
  order: Order | null;
  candidates: Order[];
  passages: Passage[];
  products: ProductInfo[];
  settings: StoreSettings;
};
