import { describe, expect, it } from 'vitest';
import { analyzeSentiment } from '../../../src/nlu/sentiment.js';
import { detectSignals } from '../../../src/nlu/signals.js';

describe('sentiment', () => {
  it('shouting plus "third time" is frustrated with intensity >= 4', () => {
    const s = analyzeSentiment("This is the THIRD time I'm writing. WHERE IS MY ORDER?");
    expect(s.sentiment).toBe('frustrated');
    expect(s.intensity).toBeGreaterThanOrEqual(4);
    expect(s.indicators).toContain('shouting');
    expect(s.indicators.some((i) => i.startsWith('repeat_contact'))).toBe(true);
  });

  it.each([
    ['Thanks so much, the shoes fit perfectly!', 'positive'],
    ['Where is my order #W1234567?', 'neutral'],
    ['no problem, thanks', 'neutral'],
    ['The lamp arrived broken and I am disappointed.', 'negative'],
    ['I am not happy with the quality', 'negative'],
    ['This is ridiculous!! Unacceptable service.', 'frustrated'],
    ["I'm fed up with this company", 'frustrated'],
    ["I'll dispute the charge with my bank and leave a one-star review.", 'frustrated'],
  ])('%s → %s', (text, expected) => {
    expect(analyzeSentiment(text).sentiment).toBe(expected);
  });

  it('ignores words that happen to be Object.prototype keys', () => {
    expect(analyzeSentiment('the constructor toString valueOf of my order')).toMatchObject({
      sentiment: 'neutral',
      intensity: 1,
    });
  });

  it('does not treat acronyms as shouting', () => {
    expect(analyzeSentiment('My UPS and USPS parcels, ETA please').indicators).not.toContain(
      'shouting',
    );
  });
});

describe('signals', () => {
  it.each([
    ['I want to talk to a human', 'wantsHuman'],
    ['Can I speak with a real person please?', 'wantsHuman'],
    ['Je veux parler à un conseiller', 'wantsHuman'],
    ['Quiero hablar con una persona real', 'wantsHuman'],
    ['Ich möchte mit einem Mitarbeiter sprechen', 'wantsHuman'],
    ['I will contact my lawyer about this', 'legalThreat'],
    ["I'm taking you to small claims court", 'legalThreat'],
    ['The kettle caught fire and burned my hand', 'safetyIssue'],
    ['My son had an allergic reaction', 'safetyIssue'],
    ["I'll file a chargeback", 'threatensChargeback'],
    ['I am going to dispute the charge with my bank', 'threatensChargeback'],
    ["I'll leave a bad review on Trustpilot", 'threatensReview'],
    ['I keep asking and nobody answers', 'repeatContact'],
    ["I still haven't received it", 'repeatContact'],
  ] as const)('%s → %s', (text, signal) => {
    expect(detectSignals(text)[signal]).toBe(true);
  });

  it('stays quiet on an ordinary request', () => {
    const s = detectSignals('Can I change the delivery address on order #W1234567?');
    expect(Object.values(s).every((v) => v === false)).toBe(true);
  });
});
