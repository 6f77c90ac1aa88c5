import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_USER_ID, startHelpdeskStandin, type HelpdeskStandin, type StandinTicket } from '../../../bench/helpdesk-standin.js';
import { benchOrders, followUp, triggerBody } from '../../../bench/tickets.js';
import { startDashboardEnv, type DashboardEnv } from './harness.js';
import { RATE_LIMITED_ERROR_PREFIX } from '../../../src/ingest/statuses.js';

/**
 * Failed deliveries in the dashboard: the store's Zendesk token is revoked, so Zendesk (a
 * loopback stand-in speaking its API) refuses the bot and the tickets die. A support lead sees
 * them in the menu and on the page, fixes the token, and retries them from the browser; each
 * customer is answered exactly once.
 */

const SECRET = 'deliveries-e2e-signing-secret';
type Listed = { id: string; ticket_id: string | null; retryable: boolean };

let env: DashboardEnv;
let page: Page;
let zendesk: HelpdeskStandin;
const url = (path: string) => `${env.baseUrl}/dashboard${path}`;
const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });

function ticket(n: number): StandinTicket {
  const o = benchOrders()[n]!;
  const id = String(70_000 + n);
  return {
    id,
    requesterId: o.customerId,
    requesterEmail: o.email,
    requesterName: o.name,
    subject: 'Where is my order?',
    commentId: `${id}01`,
    text: `Hi, where is my order ${o.orderNumber}?`,
    createdAt: new Date().toISOString(),
  };
}

async function webhook(body: string): Promise<number> {
  const ts = new Date().toISOString();
  const res = await fetch(`${env.baseUrl}/webhooks/zendesk`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature': createHmac('sha256', SECRET).update(ts + body).digest('base64'),
      'x-zendesk-webhook-signature-timestamp': ts,
    },
    body,
  });
  return res.status;
}

const dead = async () =>
  (await env.api<{ data: Listed[] }>('GET', `/stores/${env.store.id}/inbound-events?status=dead`)).body.data;

beforeAll(async () => {
  zendesk = await startHelpdeskStandin();
  env = await startDashboardEnv({
    ZENDESK_SUBDOMAIN: 'acme',
    ZENDESK_EMAIL: 'bot@acme.example',
    ZENDESK_API_TOKEN: 'revoked-token',
    ZENDESK_WEBHOOK_SECRET: SECRET,
    ZENDESK_BOT_USER_ID: BOT_USER_ID,
    ZENDESK_BASE_URL: zendesk.url,
    // A message whose job runs before the next message's webhook is recorded waits for it 5 s
    // here (src/delivery/supersede.ts), not the production 2 minutes.
    NEWER_WEBHOOK_WAIT_S: '5',
  });
  page = env.page;
  page.setDefaultTimeout(15_000);
}, 180_000);

afterAll(async () => {
  await env?.close();
  await zendesk?.close();
});

describe('failed deliveries in chromium', () => {
  const first = ticket(0);
  const second = ticket(1);

  it('lists tickets Zendesk refused, with the cause, and counts them in the menu', async () => {
    zendesk.fail({ status: 401, durationMs: 10 * 60_000 });
    for (const t of [first, second]) {
      zendesk.addTicket(t);
      expect(await webhook(triggerBody(t))).toBe(202);
    }
    // Signed but not JSON: kept as a dead letter at intake, with nothing a retry could send.
    expect(await webhook('{"ticket_id": "1", "latest_comment": "unterminated')).toBe(400);
    await eventually(async () => (await dead()).length).toBe(3);

    await page.goto(url('/'));
    await page.getByLabel('API key').fill(env.apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    const menu = page.getByRole('navigation', { name: 'Dashboard' });
    await eventually(() => menu.getByLabel('3 failed').count()).toBe(1);

    await menu.getByRole('link', { name: /Deliveries/ }).click();
    await page.getByRole('heading', { name: 'Failed deliveries', level: 1 }).waitFor();
    const rows = page.locator('table.deliveries tbody tr');
    await eventually(() => rows.count()).toBe(3);
    const row = page.getByRole('row', { name: `Zendesk ticket ${first.id}` });
    expect(await row.textContent()).toContain("Couldn't authenticate you");
    expect(await row.textContent()).toContain('update the token in Settings');
    const unreadable = page.getByRole('row', { name: 'Zendesk malformed json' });
    expect(await unreadable.textContent()).toContain('Kept for inspection');
    expect(await unreadable.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Retry all (2)' }).isEnabled()).toBe(true);
    await env.screenshot('deliveries-failed');
    // Nothing reached the customers while the token was refused.
    expect(zendesk.comments(first.id)).toHaveLength(0);
  }, 90_000);

  it('after the token is fixed, Retry answers one ticket and Retry all the rest, each once', async () => {
    zendesk.clearFault();
    const row = page.getByRole('row', { name: `Zendesk ticket ${first.id}` });
    await row.getByRole('button', { name: 'Retry' }).click();
    await eventually(() => row.getByText('Queued').count()).toBe(1);
    await page.getByText('1 delivery is queued').waitFor();
    await eventually(() => zendesk.comments(first.id).length).toBe(1);

    await page.getByRole('button', { name: 'Retry all (1)' }).click();
    await page.getByText('1 delivery is queued').waitFor();
    await eventually(() => zendesk.comments(second.id).length).toBe(1);
    for (const t of [first, second]) {
      const [reply] = zendesk.comments(t.id);
      expect(reply!.public).toBe(true);
      expect(reply!.authorId).toBe(BOT_USER_ID);
    }

    // Only the unreadable one is left, in the menu and on the page after a refresh.
    const menu = page.getByRole('navigation', { name: 'Dashboard' });
    await eventually(() => menu.getByLabel('1 failed').count()).toBe(1);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await eventually(() => page.locator('table.deliveries tbody tr').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Retry all (0)' }).isDisabled()).toBe(true);
    await env.screenshot('deliveries-retried');

    expect((await dead()).map((d) => d.ticket_id)).toEqual([null]);
    // Still one reply each a moment later (no second delivery of the same ticket).
    await new Promise((r) => setTimeout(r, 500));
    expect([zendesk.comments(first.id).length, zendesk.comments(second.id).length]).toEqual([1, 1]);
  }, 90_000);

  it('a long list says so: the menu counts them all, the page shows the newest 100 of them', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({
      store_id: env.store.id,
      source: 'zendesk',
      idempotency_key: `zendesk:acme:outage-${i}:1`,
      event_type: 'ticket_comment',
      payload: JSON.stringify({ channel: 'zendesk', externalTicketId: String(90_000 + i) }),
      status: 'dead',
      error: 'Zendesk 503: Service Unavailable',
    }));
    await env.ctx.db('inbound_events').insert(rows);
    await page.reload();
    await page.getByRole('heading', { name: 'Failed deliveries', level: 1 }).waitFor();
    const menu = page.getByRole('navigation', { name: 'Dashboard' });
    await eventually(() => menu.getByLabel('101 failed').textContent()).toBe('101');
    await page.getByText('Showing the newest 100 of 101').waitFor();
    const outage = page.getByRole('row', { name: 'Zendesk ticket 90099' });
    expect(await outage.textContent()).toContain('unavailable for longer than the retries');
  }, 60_000);

  it('warns on every page when a ticket has waited on the bot for minutes (a stopped worker)', async () => {
    const [stuck] = await env.ctx.db('inbound_events')
      .insert({ store_id: env.store.id, source: 'zendesk', idempotency_key: 'zendesk:acme:stuck:1', event_type: 'ticket_comment', payload: JSON.stringify({}), status: 'queued', received_at: new Date(Date.now() - 10 * 60_000) })
      .returning('id');
    await page.goto(url('/conversations'));
    const alert = page.getByRole('alert').filter({ hasText: 'Tickets are waiting on the bot' });
    await eventually(() => alert.textContent()).toMatch(/1 not answered, the oldest for 10\.\d min/);
    await env.screenshot('deliveries-behind');
    expect(await alert.textContent()).toContain('The worker may be stopped');
    // The same ticket's last run was refused by the helpdesk's rate limit: the warning says so
    // instead of sending the lead to look at a worker that is fine.
    await env.ctx.db('inbound_events').where({ id: stuck.id }).update({ error: `${RATE_LIMITED_ERROR_PREFIX}Zendesk 429: Too Many Requests` });
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: /Settings/ }).click();
    await eventually(() => alert.textContent()).toMatch(/rate limit is holding 1 of them back/);
    expect(await alert.textContent()).not.toContain('The worker may be stopped');
    await env.ctx.db('inbound_events').where({ id: stuck.id }).delete();
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: /Approvals/ }).click();
    await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
    await eventually(() => alert.count()).toBe(0);
  }, 60_000);

  it('shows the messages the bot left alone, and why', async () => {
    // "Hi there", then the question: the first message is left to the second, which answers both.
    const hi = { ...ticket(2), text: 'Hi there' };
    const question = followUp(hi, 1, ticket(2).text);
    zendesk.addTicket(hi);
    zendesk.addTicket(question);
    expect(await webhook(triggerBody(hi))).toBe(202);
    expect(await webhook(triggerBody(question))).toBe(202);
    await eventually(() => zendesk.comments(hi.id).length).toBe(1);

    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: /Deliveries/ }).click();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.getByRole('region', { name: 'Left alone by the bot' }).getByRole('row', { name: `Zendesk ticket ${hi.id}` });
    await eventually(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('The customer wrote again right after; one reply answered both messages.');
    await env.screenshot('deliveries-skipped');
  }, 60_000);

  it('ran without a script error', () => {
    expect(env.pageErrors).toEqual([]);
  });
});
