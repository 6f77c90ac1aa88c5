import { describe, expect, it } from 'vitest';
import { cleanEmail, cleanText } from '../../../src/nlu/clean-text.js';

describe('cleanText', () => {
  it('reduces a Gmail reply with quoted history and signature to the new text', () => {
    const raw = [
      'Hi there,',
      '',
      'The replacement still has not arrived. Can you check order #W2223334?',
      '',
      'Thanks,',
      'Anna',
      '',
      '--',
      'Anna Berg | Berg Design',
      '+46 70 123 45 67',
      '',
      'On Mon, Mar 3, 2025 at 10:14 AM Northwind Support <',
      'support@northwind-shop.com> wrote:',
      '> Hi Anna,',
      '> We have shipped a replacement for order #W2223334.',
      '> Best, Northwind',
    ].join('\n');
    expect(cleanText(raw)).toBe(
      'The replacement still has not arrived. Can you check order #W2223334?',
    );
  });

  it('cuts Outlook headers and keeps them as quoted history', () => {
    const raw = [
      'Please cancel it.',
      '',
      '________________________________',
      'From: Shop <help@shop.com>',
      'Sent: Tuesday, March 4, 2025 9:02 AM',
      'To: me@example.com',
      'Subject: Re: Your order #W1111111',
      '',
      'Your order #W1111111 is being processed.',
    ].join('\n');
    const cleaned = cleanEmail(raw);
    expect(cleaned.text).toBe('Please cancel it.');
    expect(cleaned.quoted).toContain('#W1111111');
  });

  it.each([
    ['-----Original Message-----\nFrom: x', 'Where is it?\n\n-----Original Message-----\nFrom: x'],
    ['Sent from my iPhone', 'Where is it?\n\nSent from my iPhone'],
    [
      'German header',
      'Where is it?\n\nAm Di., 4. März 2025 um 09:12 Uhr schrieb Shop <a@b.de>:\n> Hallo',
    ],
    [
      'French header',
      'Where is it?\n\nLe mar. 4 mars 2025 à 09:12, Shop <a@b.fr> a écrit :\n> Bonjour',
    ],
    ['greeting and closing', 'Dear Support Team,\n\nWhere is it?\n\nBest regards,\nJohn Smith'],
  ])('%s', (_name, raw) => {
    expect(cleanText(raw)).toBe('Where is it?');
  });

  it('strips a greeting prefix on the first line', () => {
    expect(cleanText('Hi, where is my parcel?')).toBe('where is my parcel?');
  });

  it('never cleans a thanks-only message down to nothing', () => {
    expect(cleanText('Thanks!')).toBe('Thanks!');
    expect(cleanText('Hello')).toBe('Hello');
  });

  it('leaves ordinary text alone', () => {
    const text = 'I need assistance cancelling purchase 00123842';
    expect(cleanText(text)).toBe(text);
  });
});
