import type { Intent, Sentiment } from '../domain/intents.js';

export type Carrier = 'ups' | 'usps' | 'fedex' | 'dhl' | 'unknown';
export type TrackingNumber = { number: string; carrier: Carrier };

export type Entities = {
  /** `#W1234567` for the demo store's format, bare digits for numeric order numbers. */
  orderNumbers: string[];
  /** Lower-cased. */
  emails: string[];
  trackingNumbers: TrackingNumber[];
  /** Canonical catalogue names (as passed in `productNames`), in order of appearance. */
  products: string[];
};

export type Signals = {
  wantsHuman: boolean;
  legalThreat: boolean;
  safetyIssue: boolean;
  repeatContact: boolean;
  threatensChargeback: boolean;
  threatensReview: boolean;
};

export type SentimentIntensity = 1 | 2 | 3 | 4 | 5;

export type Understanding = {
  /** ISO 639-1, e.g. 'en', 'fr', 'es', 'de'. */
  language: string;
  intent: Intent;
  subIntents: Intent[];
  /** Calibrated probability that `intent` is right. */
  confidence: number;
  scores: Partial<Record<Intent, number>>;
  sentiment: Sentiment;
  sentimentIntensity: SentimentIntensity;
  sentimentIndicators: string[];
  entities: Entities;
  signals: Signals;
  /** Text after stripping quoted history, greeting-only lines and signatures. */
  cleanedText: string;
};

export type UnderstandContext = {
  /** Earlier customer messages of the same conversation, oldest first. */
  previousMessages?: string[];
  /** Catalogue product names to look for; overrides the engine's default list. */
  productNames?: string[];
};

export interface UnderstandingEngine {
  readonly name: 'local' | 'openai';
  understand(text: string, ctx?: UnderstandContext): Promise<Understanding>;
}
