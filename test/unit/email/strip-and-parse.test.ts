import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emailIdempotencyKey, parseRawEmail, toInboundEvent } from '../../../connectors/email/email.parse.js';
import { stripQuotedText } from '../../../connectors/email/email.strip.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/email', name));

describe('stripQuotedText', () => {
  it.each([
    [
      'Gmail "On … wrote:" and quoted lines',
      'Yes, please cancel it.\n\nOn Fri, Nov 20, 2026 at 9:12 AM Shop Support <support@shop.test> wrote:\n> Your order #W2378156 is in transit.\n> Tracking 1Z999',
      'Yes, please cancel it.',
    ],
    [
      'a wrapped "On … wrote:" over two lines',
      'Thanks!\n\nOn Fri, Nov 20, 2026 at 9:12 AM Shop Support\n<support@shop.test> wrote:\n> old text',
      'Thanks!',
    ],
    [
      'Outlook "From:/Sent:" block',
      'Still nothing arrived.\n\nFrom: Shop Support <support@shop.test>\nSent: Friday, November 20, 2026 09:12\nTo: Ann\nSubject: RE: order\n\nYour order is in transit.',
      'Still nothing arrived.',
    ],
    ['Outlook rule', 'See below.\n________________________________\nFrom: Shop', 'See below.'],
    ['"-----Original Message-----"', 'Refund please.\n-----Original Message-----\nFrom: x', 'Refund please.'],
    ['French "Le … a écrit :"', 'Merci.\n\nLe ven. 20 nov. 2026 à 09:12, Support <support@shop.test> a écrit :\n> texte', 'Merci.'],
    ['German "Am … schrieb …:"', 'Danke.\n\nAm Fr., 20. Nov. 2026 um 09:12 schrieb Support <support@shop.test>:\n> Text', 'Danke.'],
    ['a "-- " signature', 'Where is my parcel?\n\n-- \nAnn Lee\n555-0100', 'Where is my parcel?'],
    ['"Sent from my iPhone"', 'Where is it?\n\nSent from my iPhone', 'Where is it?'],
    ['inline quotes between own lines', '> what is your order number?\n#W2378156\n> and your email?\nann@example.com', '#W2378156\nann@example.com'],
  ])('removes %s', (_name, input, expected) => {
    expect(stripQuotedText(input)).toBe(expected);
  });

  it('keeps a message that is only a quote rather than returning nothing', () => {
    expect(stripQuotedText('> forwarded text only')).toBe('> forwarded text only');
  });

  it('leaves an ordinary message as it is', () => {
    expect(stripQuotedText('Hello,\n\nMy order #W2378156 has not arrived.\n\nAnn')).toBe(
      'Hello,\n\nMy order #W2378156 has not arrived.\n\nAnn',
    );
  });
});

describe('parseRawEmail', () => {
  it('reads ids, addresses, headers and attachment metadata from a real MIME message', async () => {
    const email = await parseRawEmail(fixture('customer-order.eml'));
    expect(email.messageId).toBe('<CAF1a2b3c4.order-question@mail.example.com>');
    expect(email.from).toEqual({ address: 'ann.lee@example.com', name: 'Ann Lee' });
    expect(email.to).toEqual([{ address: 'support@shop.test', name: 'Shop Support' }]);
    expect(email.subject).toBe('Where is my order #W2378156?');
    expect(email.headers['return-path']).toBe('<ann.lee@example.com>');
    expect(email.attachments).toEqual([{ filename: 'receipt.png', contentType: 'image/png', size: 70 }]);
    expect(email.date).toBe('2026-11-20T09:12:00.000Z');
  });

  it('reads In-Reply-To and References in order, with angle brackets', async () => {
    const raw =
      'From: a@example.com\r\nTo: support@shop.test\r\nSubject: Re: x\r\nMessage-ID: <3@example.com>\r\n' +
      'In-Reply-To: <2@shop.test>\r\nReferences: <1@example.com>\r\n <2@shop.test>\r\n\r\nok\r\n';
    const email = await parseRawEmail(raw);
    expect(email.inReplyTo).toBe('<2@shop.test>');
    expect(email.references).toEqual(['<1@example.com>', '<2@shop.test>']);
  });

  it('renders an HTML-only message as text and drops the quoted part', async () => {
    const raw =
      'From: a@example.com\r\nTo: support@shop.test\r\nSubject: hi\r\nMessage-ID: <h@example.com>\r\n' +
      'Content-Type: text/html; charset=utf-8\r\n\r\n<p>Please <b>cancel</b> #W2378156</p><blockquote>Earlier reply</blockquote>\r\n';
    const event = toInboundEvent(await parseRawEmail(raw), '<h@example.com>', 'imap');
    expect(event.body).toBe('Please cancel #W2378156');
  });

  it('maps to the domain event with the thread root and the reply metadata', async () => {
    const email = await parseRawEmail(fixture('customer-order.eml'));
    const at = new Date('2026-11-20T09:13:00Z');
    const event = toInboundEvent(email, '<root@mail.example.com>', 'imap', at);
    expect(event).toMatchObject({
      kind: 'customer_message',
      channel: 'email',
      externalTicketId: '<root@mail.example.com>',
      externalMessageId: '<CAF1a2b3c4.order-question@mail.example.com>',
      customerEmail: 'ann.lee@example.com',
      customerName: 'Ann Lee',
      subject: 'Where is my order #W2378156?',
      receivedAt: '2026-11-20T09:13:00.000Z',
      meta: {
        source: 'imap',
        messageId: '<CAF1a2b3c4.order-question@mail.example.com>',
        references: [],
        from: 'ann.lee@example.com',
        to: ['support@shop.test'],
        attachments: [{ filename: 'receipt.png', contentType: 'image/png', size: 70 }],
      },
    });
    // Signature ("--" line) removed; the question stays.
    expect(event.body).toBe(
      'Hi,\n\nI ordered last week and have not received anything. Can you tell me where\norder #W2378156 is?\n\nThanks,\nAnn',
    );
    expect(emailIdempotencyKey(email)).toBe('email:<CAF1a2b3c4.order-question@mail.example.com>');
  });

  it('keys a message without Message-ID by its content hash', async () => {
    const raw = 'From: a@example.com\r\nTo: support@shop.test\r\nSubject: hi\r\n\r\nno id\r\n';
    const a = await parseRawEmail(raw);
    const b = await parseRawEmail(raw);
    expect(a.messageId).toBeNull();
    expect(emailIdempotencyKey(a)).toMatch(/^email:sha256:[0-9a-f]{64}$/);
    expect(emailIdempotencyKey(a)).toBe(emailIdempotencyKey(b));
  });
});
