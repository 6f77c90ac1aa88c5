import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMultipart, readForm } from '../../../connectors/email/email.form.js';
import { decodeEmailWebhook, MalformedPayloadError } from '../../../connectors/email/email.payloads.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/email', name));

/** Encodes a form exactly as an HTTP client would (undici's multipart encoder). */
async function multipart(fields: Record<string, string>, files: { field: string; name: string; type: string; data: Buffer }[] = []) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
  const res = new Response(form);
  return { body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')! };
}

describe('form bodies', () => {
  it('parses multipart/form-data fields and files (name, type, size)', async () => {
    const pdf = Buffer.alloc(1234, 7);
    const { body, contentType } = await multipart(
      { subject: 'Où est ma commande ?', 'body-plain': 'line 1\r\nline 2\r\n--not a boundary' },
      [{ field: 'attachment-1', name: 'invoice.pdf', type: 'application/pdf', data: pdf }],
    );
    const form = parseMultipart(body, contentType);
    expect(form.fields.get('subject')).toBe('Où est ma commande ?');
    expect(form.fields.get('body-plain')).toBe('line 1\r\nline 2\r\n--not a boundary');
    expect(form.files).toHaveLength(1);
    expect(form.files[0]).toMatchObject({ field: 'attachment-1', filename: 'invoice.pdf', contentType: 'application/pdf', size: 1234 });
    expect(form.files[0]!.data.equals(pdf)).toBe(true);
  });

  it('parses urlencoded bodies', () => {
    const form = readForm(Buffer.from('a=1&b=x+y&c=%C3%A9'), 'application/x-www-form-urlencoded');
    expect(Object.fromEntries(form.fields)).toEqual({ a: '1', b: 'x y', c: 'é' });
  });

  it.each([
    ['no boundary', Buffer.from('x'), 'multipart/form-data'],
    ['a truncated part', Buffer.from('--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue'), 'multipart/form-data; boundary=zz'],
    ['JSON sent as a form', Buffer.from('{}'), 'application/json'],
  ])('rejects %s', (_name, body, type) => {
    expect(() => readForm(body, type)).toThrow();
  });
});

describe('decodeEmailWebhook', () => {
  it('Mailgun parsed form: headers, stripped text, sender as Return-Path', async () => {
    // Field names from Mailgun's "Receiving messages via HTTP through a forward() action" table.
    const { body, contentType } = await multipart(
      {
        timestamp: '1700000000',
        token: 't',
        signature: 's',
        sender: 'ann.lee@example.com',
        from: 'Ann Lee <ann.lee@example.com>',
        recipient: 'support@shop.test',
        subject: 'Re: Where is my order?',
        'body-plain': 'Any news?\n\nOn Fri, Nov 20, 2026, Shop wrote:\n> in transit',
        'stripped-text': 'Any news?',
        'message-headers': JSON.stringify([
          ['Message-Id', '<mg-3@mail.example.com>'],
          ['In-Reply-To', '<hsb.1@shop.test>'],
          ['References', '<mg-1@mail.example.com> <hsb.1@shop.test>'],
          ['To', 'Shop <support@shop.test>'],
          ['Date', 'Fri, 20 Nov 2026 10:00:00 +0000'],
        ]),
        'attachment-count': '1',
      },
      [{ field: 'attachment-1', name: 'photo.jpg', type: 'image/jpeg', data: Buffer.alloc(2048) }],
    );
    const email = await decodeEmailWebhook('mailgun', body, contentType);
    expect(email).toMatchObject({
      messageId: '<mg-3@mail.example.com>',
      inReplyTo: '<hsb.1@shop.test>',
      references: ['<mg-1@mail.example.com>', '<hsb.1@shop.test>'],
      from: { address: 'ann.lee@example.com', name: 'Ann Lee' },
      to: [{ address: 'support@shop.test', name: 'Shop' }],
      providerStrippedText: 'Any news?',
      attachments: [{ filename: 'photo.jpg', contentType: 'image/jpeg', size: 2048 }],
    });
    expect(email.headers['return-path']).toBe('<ann.lee@example.com>');
  });

  it('Mailgun body-mime: the raw message is parsed', async () => {
    const body = Buffer.from(new URLSearchParams({ timestamp: '1', token: 't', signature: 's', 'body-mime': fixture('list.eml').toString() }).toString());
    const email = await decodeEmailWebhook('mailgun', body, 'application/x-www-form-urlencoded');
    expect(email.messageId).toBe('<campaign-991.22@lists.example.org>');
    expect(email.headers['list-id']).toBe('Deals Weekly <deals.lists.example.org>');
  });

  it('Postmark JSON: Message-ID from Headers (not Postmark MessageID), StrippedTextReply, attachments', async () => {
    // Shape from postmarkapp.com/developer/webhooks/inbound-webhook (example JSON).
    const payload = {
      FromName: 'Ann Lee',
      MessageStream: 'inbound',
      From: 'ann.lee@example.com',
      FromFull: { Email: 'ann.lee@example.com', Name: 'Ann Lee', MailboxHash: '' },
      To: 'support@shop.test',
      ToFull: [{ Email: 'support@shop.test', Name: 'Shop', MailboxHash: '' }],
      Cc: '',
      CcFull: [],
      Subject: 'Cancel my order',
      MessageID: '73e6d360-66eb-11e1-8e72-a8904824019b',
      ReplyTo: '',
      MailboxHash: '',
      Date: 'Fri, 20 Nov 2026 10:05:00 +0000',
      TextBody: 'Please cancel #W2378156.\n\nOn Thu, Shop wrote:\n> hello',
      HtmlBody: '<p>Please cancel #W2378156.</p>',
      StrippedTextReply: 'Please cancel #W2378156.',
      Tag: '',
      Headers: [
        { Name: 'Return-Path', Value: '<ann.lee@example.com>' },
        { Name: 'Message-ID', Value: '<pm-1@mail.example.com>' },
        { Name: 'X-Spam-Status', Value: 'No' },
      ],
      Attachments: [{ Name: 'label.pdf', Content: 'JVBERi0=', ContentType: 'application/pdf', ContentLength: 4096 }],
    };
    const email = await decodeEmailWebhook('postmark', Buffer.from(JSON.stringify(payload)), 'application/json');
    expect(email).toMatchObject({
      messageId: '<pm-1@mail.example.com>',
      subject: 'Cancel my order',
      from: { address: 'ann.lee@example.com', name: 'Ann Lee' },
      providerStrippedText: 'Please cancel #W2378156.',
      attachments: [{ filename: 'label.pdf', contentType: 'application/pdf', size: 4096 }],
      date: '2026-11-20T10:05:00.000Z',
    });
  });

  it('SendGrid parsed form: header block, envelope sender, attachment-info', async () => {
    // Fields from twilio.com/docs/sendgrid/for-developers/parsing-email/inbound-email.
    const { body, contentType } = await multipart(
      {
        headers:
          'Received: by mx.sendgrid.net\nMessage-ID: <sg-1@mail.example.com>\nDate: Fri, 20 Nov 2026 10:10:00 +0000\nFrom: Ann Lee <ann.lee@example.com>\nTo: support@shop.test\nSubject: Return\nAuto-Submitted:\n auto-replied\n',
        from: 'Ann Lee <ann.lee@example.com>',
        to: 'support@shop.test',
        subject: 'Return',
        text: 'I want to return the shoes.',
        envelope: JSON.stringify({ to: ['support@shop.test'], from: 'ann.lee@example.com' }),
        charsets: JSON.stringify({ to: 'UTF-8', subject: 'UTF-8', from: 'UTF-8', text: 'UTF-8' }),
        'attachment-info': JSON.stringify({ attachment1: { filename: 'IMG_1.jpg', name: 'IMG_1.jpg', type: 'image/jpeg' } }),
        attachments: '1',
      },
      [{ field: 'attachment1', name: 'IMG_1.jpg', type: 'image/jpeg', data: Buffer.alloc(999) }],
    );
    const email = await decodeEmailWebhook('sendgrid', body, contentType);
    expect(email).toMatchObject({
      messageId: '<sg-1@mail.example.com>',
      text: 'I want to return the shoes.',
      attachments: [{ filename: 'IMG_1.jpg', contentType: 'image/jpeg', size: 999 }],
    });
    // A folded header is unfolded, so the loop guard sees it.
    expect(email.headers['auto-submitted']).toBe('auto-replied');
    expect(email.headers['return-path']).toBe('<ann.lee@example.com>');
  });

  it('SendGrid "send raw": the MIME in `email` is parsed', async () => {
    const { body, contentType } = await multipart({ email: fixture('bounce.eml').toString(), to: 'support@shop.test' });
    const email = await decodeEmailWebhook('sendgrid', body, contentType);
    expect(email.headers['return-path']).toBe('<>');
    expect(email.from?.address).toBe('mailer-daemon@mx.example.com');
  });

  it.each([
    ['postmark', Buffer.from('{not json'), 'application/json'],
    ['postmark', Buffer.from(JSON.stringify({ Subject: 'no sender' })), 'application/json'],
    ['mailgun', Buffer.from('subject=x'), 'application/x-www-form-urlencoded'],
    ['sendgrid', Buffer.from('{}'), 'application/json'],
  ] as const)('%s: an unusable body is a MalformedPayloadError', async (provider, body, type) => {
    await expect(decodeEmailWebhook(provider, body, type)).rejects.toBeInstanceOf(MalformedPayloadError);
  });
});
