import { describe, expect, it } from 'vitest';
import { createLocalEngine } from '../../../src/nlu/local-engine.js';
import { splitClauses } from '../../../src/nlu/classifier/clauses.js';
import { deserializeModel, serializeModel } from '../../../src/nlu/classifier/model-file.js';
import { predictText } from '../../../src/nlu/classifier/linear-model.js';

// Uses the committed model (data/nlu/intent-model.json); none of these texts are training rows.
const engine = createLocalEngine({ productNames: ['Hiking Boots', 'Fleece Jacket'] });

describe('local engine: intents on unseen messages', () => {
  it('reads messages sent in a row by their clear part when the whole is unsure', async () => {
    // What a burst's turn sees: a vague opener, then the question (joined by a blank line).
    const opener = 'Hi, I have a question about my parcel.';
    const question = 'Sorry, forgot the number: #W2611340. Where is it?';
    const alone = await engine.understand(opener);
    expect(alone.confidence).toBeLessThan(0.6);
    const burst = await engine.understand(`${opener}\n\n${question}`);
    expect(burst.intent).toBe('order_status');
    expect(burst.confidence).toBeGreaterThanOrEqual(0.6);
    expect(burst.confidence).toBeCloseTo((await engine.understand(question)).confidence, 4);
  });

  it('keeps an unsure complaint a complaint, even with a clear request in one paragraph', async () => {
    // The complaint decides the escalation (a complaint about a high-value order goes to a person).
    const text = 'Honestly this is unacceptable. Third week waiting and the parcel is a mess.\n\nI want a refund for #W2611340.';
    const u = await engine.understand(text);
    expect(u.intent).toBe('complaint');
    expect(u.confidence).toBeLessThan(0.6);
    expect((await engine.understand('I want a refund for #W2611340.')).intent).toBe('refund_request');
  });

  it('classifies a long return email with greeting, quoted history and signature', async () => {
    const raw = [
      'Hello Northwind,',
      '',
      'I hope you are well. Last week I received the fleece jacket from order #W5550123 and,',
      'sadly, it is far too big across the shoulders. I have only tried it on indoors and the',
      'tags are still attached.',
      '',
      'Could you tell me how to send it back? A return label by email would be ideal.',
      '',
      'Kind regards,',
      'Marta Kowalski',
      '',
      'Sent from my iPhone',
      '',
      'On Tue, Apr 1, 2025 at 9:12 AM Northwind <hello@northwind-shop.com> wrote:',
      '> Hi Marta, your order #W5550123 has been delivered. Enjoy!',
    ].join('\n');
    const u = await engine.understand(raw);
    expect(u.intent).toBe('return_request');
    expect(u.cleanedText).not.toMatch(/wrote:|Kind regards|iPhone/);
    expect(u.entities.orderNumbers).toEqual(['#W5550123']);
    expect(u.entities.products).toEqual(['Fleece Jacket']);
    expect(u.language).toBe('en');
  });

  it.each([
    [
      'My parcel for #W8081234 has been stuck in Memphis for nine days, when will it get here?',
      'order_status',
    ],
    ['Please cancel #W3030303 right away, I bought it twice by accident.', 'cancel_order'],
    ['Do the hiking boots have a waterproof membrane, and are they heavy?', 'product_question'],
    ['Can you ship to New Zealand and how long would it take?', 'shipping_question'],
    [
      "Bonjour, je n'ai toujours pas reçu le remboursement de ma commande retournée.",
      'refund_request',
    ],
  ])('%s → %s', async (text, intent) => {
    expect((await engine.understand(text)).intent).toBe(intent);
  });

  it('reports a secondary request as a sub-intent', async () => {
    const u = await engine.understand(
      'Please cancel order #W4100001 because I ordered the wrong colour, ' +
        'and also where is my other order #W4100002?',
    );
    expect(u.intent).toBe('cancel_order');
    expect(u.subIntents).toContain('order_status');
    expect(u.entities.orderNumbers).toEqual(['#W4100001', '#W4100002']);
  });

  it('keeps single requests free of sub-intents', async () => {
    const u = await engine.understand('Where is my order #W1212121? It was due on Monday.');
    expect(u.subIntents).toEqual([]);
  });
});

describe('calibration sanity', () => {
  it('is unsure about gibberish', async () => {
    for (const text of ['qwzx plorf vintak drubble', 'zzkq', 'blorp fnarg wibble snoo']) {
      const u = await engine.understand(text);
      expect(u.confidence).toBeLessThan(0.6);
    }
  });

  it('is sure about an ordinary clear request and scores sum to 1', async () => {
    const u = await engine.understand('I want to cancel my order #W9191919, please.');
    expect(u.confidence).toBeGreaterThan(0.8);
    const total = Object.values(u.scores).reduce((a, b) => a + (b ?? 0), 0);
    expect(total).toBeCloseTo(1, 2);
  });

  it('uses a fitted temperature', () => {
    expect(engine.model.temperature).toBeGreaterThan(0.05);
    expect(engine.model.temperature).toBeLessThan(20);
    expect(engine.model.temperature).not.toBe(1);
  });
});

describe('model file', () => {
  it('round-trips through serialisation with the same predictions', () => {
    const again = deserializeModel(serializeModel(engine.model));
    const text = 'I want to return the jacket';
    expect(predictText(again, text).intent).toBe(predictText(engine.model, text).intent);
    expect(predictText(again, text).probability).toBeCloseTo(
      predictText(engine.model, text).probability,
      2,
    );
  });
});

describe('splitClauses', () => {
  it('splits sentences and "and also" requests, marking the additional ones', () => {
    const clauses = splitClauses('Cancel order #W1 please. And also where is my other order?');
    expect(clauses.map((c) => c.text)).toEqual([
      'Cancel order #W1 please.',
      'where is my other order?',
    ]);
    expect(clauses.map((c) => c.additional)).toEqual([false, true]);
  });
});

describe('engine signals and context', () => {
  it('flags a human request, repeat contact from the conversation, and frustration', async () => {
    const u = await engine.understand('WHY IS NOBODY ANSWERING?? I want to talk to a human now.', {
      previousMessages: ['Where is my order?', 'Any update on my order?'],
    });
    expect(u.signals.wantsHuman).toBe(true);
    expect(u.signals.repeatContact).toBe(true);
    expect(u.sentiment).toBe('frustrated');
  });

  it('answers within a few milliseconds', async () => {
    const text =
      'Hi, my order #W1231231 has not arrived yet and the tracking has not moved. Can you check?';
    for (let i = 0; i < 20; i++) await engine.understand(text);
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await engine.understand(text);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    // Generous bound: CI machines are shared; the eval CLI reports the real p95.
    expect(times[94]).toBeLessThan(20);
  });
});
