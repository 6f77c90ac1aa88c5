import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shouldIgnore } from '../../../connectors/email/email.loop-guard.js';
import { parseRawEmail } from '../../../connectors/email/email.parse.js';

const STORE = ['support@shop.test', 'help@shop.test'];
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/email', name));

/** Headers of an ordinary customer mail, as a receiving server records them. */
const base: Record<string, string> = {
  'return-path': '<ann.lee@example.com>',
  from: 'Ann Lee <ann.lee@example.com>',
  to: 'support@shop.test',
  subject: 'Where is my order?',
  'message-id': '<abc@mail.example.com>',
  date: 'Fri, 20 Nov 2026 09:12:00 +0000',
  'mime-version': '1.0',
  'content-type': 'text/plain; charset=utf-8',
};

describe('shouldIgnore', () => {
  it('lets an ordinary customer mail through', () => {
    expect(shouldIgnore(base, 'ann.lee@example.com', STORE)).toEqual({ ignore: false });
  });

  it.each([
    ['Gmail vacation responder', { 'auto-submitted': 'auto-replied', precedence: 'bulk' }, 'ann.lee@example.com', 'auto_submitted'],
    ['Exchange automatic reply', { 'auto-submitted': 'auto-generated', 'x-auto-response-suppress': 'All' }, 'ann.lee@example.com', 'auto_submitted'],
    ['RFC 5436 notification', { 'auto-submitted': 'auto-notified' }, 'ann.lee@example.com', 'auto_submitted'],
    ['Auto-Submitted with parameters', { 'auto-submitted': 'auto-replied; owner-email="x@y"' }, 'ann.lee@example.com', 'auto_submitted'],
    ['X-Autoreply', { 'x-autoreply': 'yes' }, 'ann.lee@example.com', 'auto_reply_header'],
    ['X-Autorespond', { 'x-autorespond': 'Out of office' }, 'ann.lee@example.com', 'auto_reply_header'],
    ['X-Auto-Response-Suppress: OOF', { 'x-auto-response-suppress': 'DR, OOF, AutoReply' }, 'ann.lee@example.com', 'auto_response_suppress'],
    ['X-Auto-Response-Suppress: All', { 'x-auto-response-suppress': 'All' }, 'ann.lee@example.com', 'auto_response_suppress'],
    ['Precedence: bulk', { precedence: 'bulk' }, 'ann.lee@example.com', 'precedence'],
    ['Precedence: list', { precedence: 'list' }, 'ann.lee@example.com', 'precedence'],
    ['Precedence: junk', { precedence: 'junk' }, 'ann.lee@example.com', 'precedence'],
    ['List-Id', { 'list-id': 'Deals <deals.lists.example.org>' }, 'deals@lists.example.org', 'mailing_list'],
    ['List-Unsubscribe', { 'list-unsubscribe': '<mailto:u@lists.example.org>' }, 'deals@lists.example.org', 'mailing_list'],
    ['empty Return-Path (bounce)', { 'return-path': '<>' }, 'ann.lee@example.com', 'null_return_path'],
    ['multipart/report delivery status', { 'content-type': 'multipart/report; report-type=delivery-status; boundary="x"' }, 'ann.lee@example.com', 'delivery_report'],
    ['read receipt (MDN)', { 'content-type': 'multipart/report; report-type=disposition-notification' }, 'ann.lee@example.com', 'delivery_report'],
    ['X-Failed-Recipients', { 'x-failed-recipients': 'gone@example.com' }, 'ann.lee@example.com', 'delivery_report'],
    ['MAILER-DAEMON sender', {}, 'MAILER-DAEMON@mx.example.com', 'system_sender'],
    ['postmaster sender', {}, 'postmaster@example.com', 'system_sender'],
    ['no-reply sender', {}, 'no-reply@carrier.example.com', 'system_sender'],
    ['noreply sender', {}, 'noreply@example.com', 'system_sender'],
    ['do-not-reply sender', {}, 'do-not-reply@example.com', 'system_sender'],
    ['list -request address', {}, 'shoppers-request@lists.example.org', 'system_sender'],
    ['list owner- address', {}, 'owner-shoppers@lists.example.org', 'system_sender'],
    ['LISTSERV', {}, 'LISTSERV@lists.example.org', 'system_sender'],
    ['MAJORDOMO', {}, 'majordomo@lists.example.org', 'system_sender'],
    ['X-Mailer: vacation', { 'x-mailer': 'vacation 1.2.7' }, 'ann.lee@example.com', 'vacation_mailer'],
    ["the store's own address", {}, 'support@shop.test', 'own_address'],
    ["the store's alias, any case", {}, 'Help@Shop.Test', 'own_address'],
    ['our own reply coming back', { 'x-hsb-key': 'reply:123' }, 'ann.lee@example.com', 'own_message'],
    ['no sender at all', {}, '', 'no_sender'],
  ] as const)('ignores %s', (_name, extra, from, reason) => {
    expect(shouldIgnore({ ...base, ...extra }, from, STORE)).toEqual({ ignore: true, reason });
  });

  it.each([
    ['Auto-Submitted: no (a person wrote it)', { 'auto-submitted': 'no' }],
    ['X-Auto-Response-Suppress: DR only (delivery receipts)', { 'x-auto-response-suppress': 'DR' }],
    ['Precedence: first-class', { precedence: 'first-class' }],
    ['a sender whose name merely contains "noreply"', { from: 'Norepl Yates <norepl.yates@example.com>' }],
  ] as const)('answers %s', (_name, extra) => {
    expect(shouldIgnore({ ...base, ...extra }, 'ann.lee@example.com', STORE)).toEqual({ ignore: false });
  });

  it.each([
    ['customer-order.eml', { ignore: false }],
    ['out-of-office.eml', { ignore: true, reason: 'auto_submitted' }],
    ['bounce.eml', { ignore: true, reason: 'auto_submitted' }],
    ['list.eml', { ignore: true, reason: 'precedence' }],
  ])('classifies the real message %s', async (file, expected) => {
    const email = await parseRawEmail(fixture(file));
    expect(shouldIgnore(email.headers, email.from?.address, STORE)).toEqual(expected);
  });

  it('still ignores a bounce without Auto-Submitted (Return-Path <>)', async () => {
    const raw = fixture('bounce.eml').toString().replace('Auto-Submitted: auto-replied\r\n', '');
    const email = await parseRawEmail(raw);
    expect(shouldIgnore(email.headers, email.from?.address, STORE)).toEqual({ ignore: true, reason: 'null_return_path' });
  });
});
