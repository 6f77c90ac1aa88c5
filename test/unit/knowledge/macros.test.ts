import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../../../src/errors.js';
import { fetchMacros, helpdeskAuth } from '../../../src/knowledge/macros.js';

afterEach(() => nock.cleanAll());

// Zendesk "List Active Macros": GET /api/v2/macros/active.json → {macros:[{id,title,active,actions:[{field,value}]}],
// next_page, count} (developer.zendesk.com/api-reference/ticketing/business-rules/macros).
describe('fetchMacros (zendesk)', () => {
  it('follows next_page and reads comment_value (string or [channel, text]) and comment_value_html', async () => {
    const base = 'https://acme.zendesk.com';
    const auth = helpdeskAuth('zendesk', { subdomain: 'acme', email: 'bot@acme.test', apiToken: 'tok' })!;
    const scope = nock(base, { reqheaders: { authorization: `Basic ${Buffer.from('bot@acme.test/token:tok').toString('base64')}` } })
      .get('/api/v2/macros/active.json')
      .query({ per_page: '100' })
      .reply(200, {
        macros: [
          { id: 1, title: 'Refund timing', active: true, actions: [{ field: 'comment_value', value: 'Refunds take 5-7 business days.' }] },
          { id: 2, title: 'Close ticket', active: true, actions: [{ field: 'status', value: 'solved' }] },
        ],
        next_page: `${base}/api/v2/macros/active.json?page=2&per_page=100`,
        count: 3,
      })
      .get('/api/v2/macros/active.json')
      .query({ page: '2', per_page: '100' })
      .reply(200, {
        macros: [
          { id: 3, title: 'Exchange', active: true, actions: [{ field: 'comment_value_html', value: '<p>We can <b>swap</b> sizes.</p>' }] },
          { id: 4, title: 'Channel', active: true, actions: [{ field: 'comment_value', value: ['channel:all', 'Thanks for waiting.'] }] },
        ],
        next_page: null,
        count: 3,
      });
    const macros = await fetchMacros('zendesk', auth);
    expect(macros).toEqual([
      { id: '1', title: 'Refund timing', text: 'Refunds take 5-7 business days.' },
      { id: '3', title: 'Exchange', text: 'We can swap sizes.' },
      { id: '4', title: 'Channel', text: 'Thanks for waiting.' },
    ]);
    scope.done();
  });

  it('classifies vendor errors', async () => {
    const auth = helpdeskAuth('zendesk', { subdomain: 'acme', oauthToken: 'o' })!;
    expect(auth.authorization).toBe('Bearer o');
    nock('https://acme.zendesk.com').get(/macros/).reply(429, {}, { 'retry-after': '3' });
    await expect(fetchMacros('zendesk', auth)).rejects.toBeInstanceOf(RetryableError);
    nock('https://acme.zendesk.com').get(/macros/).reply(403, { error: 'Forbidden' });
    await expect(fetchMacros('zendesk', auth)).rejects.toBeInstanceOf(PermanentError);
  });
});

// Gorgias "List macros": GET /api/macros → {data:[{id,name,language,actions:[{name:"setResponseText",
// arguments:{body_text,body_html}}]}], meta:{next_cursor}} (developers.gorgias.com/reference/macros; cursor per vendor-apis.md).
describe('fetchMacros (gorgias)', () => {
  it('follows meta.next_cursor and reads setResponseText', async () => {
    const auth = helpdeskAuth('gorgias', { account: 'shop', email: 'a@shop.test', apiKey: 'key' })!;
    expect(auth).toEqual({ baseUrl: 'https://shop.gorgias.com', authorization: `Basic ${Buffer.from('a@shop.test:key').toString('base64')}` });
    const scope = nock('https://shop.gorgias.com')
      .get('/api/macros')
      .query({ limit: '100' })
      .reply(200, {
        data: [
          { id: 10, name: 'Return label', language: 'en', actions: [{ name: 'setResponseText', arguments: { body_text: 'We email a return label.' } }] },
          { id: 11, name: 'Tag only', actions: [{ name: 'addTags', arguments: { tags: 'x' } }] },
        ],
        meta: { next_cursor: 'abc' },
      })
      .get('/api/macros')
      .query({ limit: '100', cursor: 'abc' })
      .reply(200, {
        data: [{ id: 12, name: 'Html only', actions: [{ name: 'setResponseText', arguments: { body_html: '<div>Hi {{ticket.customer.firstname}},</div><div>Done.</div>' } }] }],
        meta: { next_cursor: null },
      });
    expect(await fetchMacros('gorgias', auth)).toEqual([
      { id: '10', title: 'Return label', text: 'We email a return label.', language: 'en' },
      { id: '12', title: 'Html only', text: 'Hi {{ticket.customer.firstname}},\n\nDone.', language: null },
    ]);
    scope.done();
  });

  it('is not configured without a host or without a secret', () => {
    expect(helpdeskAuth('gorgias', { email: 'a@b.c', apiKey: 'k' })).toBeNull();
    expect(helpdeskAuth('gorgias', { account: 'shop', email: 'a@b.c' })).toBeNull();
  });
});
