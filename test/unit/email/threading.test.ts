import { describe, expect, it } from 'vitest';
import {
  buildReplyHeaders,
  normalizeSubject,
  provisionalThreadRoot,
  replySubject,
} from '../../../connectors/email/email.threading.js';
import type { InboundEmail } from '../../../connectors/email/email.types.js';

const email = (over: Partial<InboundEmail>): InboundEmail => ({
  messageId: '<m3@x>',
  inReplyTo: null,
  references: [],
  subject: 'Order',
  from: { address: 'ann@example.com', name: null },
  to: [],
  cc: [],
  date: null,
  headers: {},
  text: '',
  providerStrippedText: null,
  attachments: [],
  contentHash: 'f'.repeat(64),
  ...over,
});

describe('reply subject', () => {
  it.each([
    ['Where is my order?', 'Re: Where is my order?'],
    ['Re: Where is my order?', 'Re: Where is my order?'],
    ['RE: re: Where is my order?', 'Re: Where is my order?'],
    ['AW: Bestellung', 'Re: Bestellung'],
    ['Fwd: Re: Refund', 'Re: Refund'],
    ['Re[2]: Refund', 'Re: Refund'],
    ['', 'Re: your message'],
  ])('%s → %s', (input, expected) => {
    expect(replySubject(input)).toBe(expected);
  });

  it('compares subjects without reply prefixes, case or spacing', () => {
    expect(normalizeSubject('RE:  Where is   my Order?')).toBe(normalizeSubject('where is my order?'));
    expect(normalizeSubject('Re: Refund')).not.toBe(normalizeSubject('Re: Return'));
  });
});

describe('buildReplyHeaders', () => {
  it("answers the parent: In-Reply-To its id, References its references plus its id", () => {
    expect(buildReplyHeaders({ messageId: '<c2@x>', references: ['<c1@x>', '<b1@shop>'] })).toEqual({
      inReplyTo: '<c2@x>',
      references: ['<c1@x>', '<b1@shop>', '<c2@x>'],
    });
  });

  it('puts the thread root first when the parent did not carry it', () => {
    expect(buildReplyHeaders({ messageId: '<c2@x>', references: [], threadRoot: '<c1@x>' }).references).toEqual([
      '<c1@x>',
      '<c2@x>',
    ]);
  });

  it("uses the parent's In-Reply-To when it has no References (some clients send only that)", () => {
    const parent = { messageId: '<c2@x>', references: [], inReplyTo: '<hsb.1@shop>', threadRoot: '<c1@x>' };
    expect(buildReplyHeaders(parent).references).toEqual(['<c1@x>', '<hsb.1@shop>', '<c2@x>']);
  });

  it('starts a thread from a first message (no references of its own)', () => {
    expect(buildReplyHeaders({ messageId: '<c1@x>', references: [], threadRoot: '<c1@x>' })).toEqual({
      inReplyTo: '<c1@x>',
      references: ['<c1@x>'],
    });
  });

  it('trims a long chain to the root plus the most recent ids', () => {
    const refs = Array.from({ length: 40 }, (_, i) => `<r${i}@x>`);
    const out = buildReplyHeaders({ messageId: '<last@x>', references: refs }).references;
    expect(out).toHaveLength(20);
    expect(out[0]).toBe('<r0@x>');
    expect(out.at(-1)).toBe('<last@x>');
    expect(out.at(-2)).toBe('<r39@x>');
  });
});

describe('provisionalThreadRoot', () => {
  it.each([
    ['first of References', { references: ['<root@x>', '<mid@x>'], inReplyTo: '<mid@x>' }, '<root@x>'],
    ['In-Reply-To when there are no References', { inReplyTo: '<parent@x>' }, '<parent@x>'],
    ['its own Message-ID for a new thread', {}, '<m3@x>'],
  ] as const)('%s', (_name, over, expected) => {
    expect(provisionalThreadRoot(email(over as Partial<InboundEmail>))).toBe(expected);
  });

  it('a content-hash id when the message has no Message-ID', () => {
    expect(provisionalThreadRoot(email({ messageId: null }))).toMatch(/^<sha256\.f{32}@hsb\.invalid>$/);
  });
});
