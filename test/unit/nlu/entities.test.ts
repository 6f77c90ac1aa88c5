import { describe, expect, it } from 'vitest';
import { extractEntities, extractProducts } from '../../../src/nlu/entities.js';

describe('order numbers', () => {
  it.each([
    ['Where is my order #W1234567?', ['#W1234567']],
    ['I think W7654321 was lost', ['#W7654321']],
    ['Hi team, about #W2345678 and also #w3456789, please check', ['#W2345678', '#W3456789']],
    ['order 1234 never came', ['1234']],
    ['my order no. 55512 is late', ['55512']],
    ['Order number is: 98765', ['98765']],
    ['where is #1047?', ['1047']],
    ['I need assistance cancelling purchase 00123842', ['00123842']],
    ['cancel ordedr 3707955617', ['3707955617']],
    ['want help seeing order113542617735902 current status', ['113542617735902']],
    ['where is ispurchase 113542617735902?', ['113542617735902']],
    ['commande n° 45678 et pedido número 98765', ['45678', '98765']],
    ['check invoice #12588', []],
    ['i want assistance giving a quick look at the bull #85632', []],
    ['I paid $160 for this order, help me get a refund', []],
    ['I paid for order 4455 on Monday', ['4455']],
    ['Wrong zip code on my order, should be 80218 not 80128', []],
    ['Apt #204, 12 Main St', []],
    ['an order of 160 dollars', []],
    ['constructor 123456789012 toString', []],
  ])('%s', (text, expected) => {
    expect(extractEntities(text).orderNumbers).toEqual(expected);
  });
});

describe('tracking numbers', () => {
  it('does not mistake an order number for a tracking number and vice versa', () => {
    const e = extractEntities('FedEx tracking 123456789012 for order 370795561790');
    expect(e.orderNumbers).toEqual(['370795561790']);
    expect(e.trackingNumbers).toEqual([{ number: '123456789012', carrier: 'fedex' }]);
  });

  it.each([
    ['my UPS number is 1Z999AA10123456784', 'ups', '1Z999AA10123456784'],
    ['USPS says 9400111899223856923014 is in transit', 'usps', '9400111899223856923014'],
    ['tracking EC123456789US', 'usps', 'EC123456789US'],
    ['DHL 1234567890 has not moved', 'dhl', '1234567890'],
    ['JJD0099999999 is stuck', 'dhl', 'JJD0099999999'],
    ['tracking number 123456789012345', 'fedex', '123456789012345'],
  ])('%s', (text, carrier, number) => {
    const e = extractEntities(text);
    expect(e.trackingNumbers).toEqual([{ number, carrier }]);
    expect(e.orderNumbers).toEqual([]);
  });

  it('keeps a 12-digit number after "order" as an order, not a FedEx parcel', () => {
    const e = extractEntities('please cancel order 732201349959');
    expect(e.trackingNumbers).toEqual([]);
    expect(e.orderNumbers).toEqual(['732201349959']);
  });
});

describe('emails', () => {
  it.each([
    ['reach me at jane.doe+shop@gmail.com.', ['jane.doe+shop@gmail.com']],
    ['My email is Omar.Lopez1868@Example.com, thanks', ['omar.lopez1868@example.com']],
    ['two: a_b@x.co.uk and c-d@y.io', ['a_b@x.co.uk', 'c-d@y.io']],
    ['no email here @ all', []],
  ])('%s', (text, expected) => {
    expect(extractEntities(text).emails).toEqual(expected);
  });
});

describe('products', () => {
  const catalogue = ['T-Shirt', 'Smart Watch', 'Watch', 'Wireless Earbuds'];

  it('matches case-insensitively, prefers the longest name and tolerates plurals', () => {
    expect(extractProducts('My smart watch and two t shirts arrived', catalogue)).toEqual([
      'Smart Watch',
      'T-Shirt',
    ]);
    const text = 'the WATCH is fine but the wireless earbuds are not';
    expect(extractProducts(text, catalogue)).toEqual(['Watch', 'Wireless Earbuds']);
  });

  it('gives the same answers when one (cached) list serves many messages', () => {
    const texts = ['a long note that ends with a watch', 'watch first, then wireless earbuds', 'nothing here', 'T-SHIRT'];
    const fresh = texts.map((t) => extractProducts(t, [...catalogue]));
    const shared = [...catalogue];
    for (let round = 0; round < 3; round++) expect(texts.map((t) => extractProducts(t, shared))).toEqual(fresh);
    expect(fresh).toEqual([['Watch'], ['Watch', 'Wireless Earbuds'], [], ['T-Shirt']]);
  });

  it('needs word boundaries', () => {
    expect(extractProducts('stopwatches are not watch-es', ['Watch'])).toEqual(['Watch']);
    expect(extractProducts('my stopwatch', ['Watch'])).toEqual([]);
  });
});

describe('quoted history fallback', () => {
  it('takes the order number from quoted history only when the new text has none', () => {
    const quoted = '> Your order #W1112223 is on its way';
    const e = extractEntities('any news?', { fallbackText: quoted });
    expect(e.orderNumbers).toEqual(['#W1112223']);
    const f = extractEntities('about #W4445556', { fallbackText: '> order #W1112223' });
    expect(f.orderNumbers).toEqual(['#W4445556']);
  });
});
