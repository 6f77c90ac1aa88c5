import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sha256Hex } from '../../../src/security/crypto.js';
import { startDashboardEnv, type DashboardEnv } from './harness.js';

/**
 * The dashboard in a real browser (Debian's chromium) against the real app, workers and demo
 * store: what a support lead does in it, in the order they would do it. The tests share one
 * signed-in tab, so they run in sequence. Screenshots go to test-artifacts/dashboard/.
 */

type Turn = { conversation_id: string; reply_message_id: string | null; outcome: string; intent: string };
type Detail = { messages: { id: string; status: string }[]; actions: { id: string; status: string }[] };

const ANYA = { email: 'anya.garcia2061@example.com', order: '#W6310710' };
const AARAV = { email: 'aarav.anderson9752@example.com', order: '#W9300146' };

let env: DashboardEnv;
let page: Page;
const url = (path: string) => `${env.baseUrl}/dashboard${path}`;
/** expect.poll with room for a slow CI machine (its default gives up after one second). */
const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

async function customerWrites(email: string, text: string): Promise<Turn> {
  const res = await env.api<Turn>('POST', '/conversations', { channel: 'widget', customer_email: email, initial_message: text });
  expect(res.status).toBe(201);
  return res.body;
}

beforeAll(async () => {
  env = await startDashboardEnv();
  page = env.page;
  page.setDefaultTimeout(15_000);
}, 180_000);

afterAll(async () => {
  await env?.close();
});

describe('dashboard in chromium', () => {
  it('refuses a wrong key with a message, then signs in with the right one by keyboard', async () => {
    await page.goto(url('/'));
    await eventually(() => page.getByRole('heading', { name: 'Support bot dashboard' }).isVisible()).toBe(true);
    const keyInput = page.getByLabel('API key');
    // The key field has focus on arrival: typing and Enter are enough.
    await eventually(() => keyInput.evaluate((el) => el === document.activeElement)).toBe(true);
    await env.screenshot('sign-in');

    await page.keyboard.type('hsb_not-a-real-key');
    await page.keyboard.press('Enter');
    await eventually(() => page.getByRole('alert').textContent()).toContain('invalid or revoked API key');

    await keyInput.fill('');
    await page.keyboard.type(env.apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/conversations');
    await page.getByText('No conversations yet.').waitFor();
    await env.screenshot('conversations-empty');
    expect(await page.evaluate(() => Object.values(sessionStorage))).toContain(env.apiKey);
  }, 60_000);

  it('lists conversations with filters, opens one and shows its trace node by node', async () => {
    await customerWrites(ANYA.email, `Hi, where is my order ${ANYA.order}? It has been a while.`);
    await customerWrites(AARAV.email, `Please cancel my order ${AARAV.order}, I ordered the wrong thing.`);
    await customerWrites('chen.silva2698@example.com', 'I want a refund for order #W2598834, the item arrived broken. This is unacceptable!');
    await customerWrites('isabella.sanchez6218@example.com', 'How long do I have to return an item?');

    await page.reload();
    const rows = page.locator('table.conversations tbody tr');
    await eventually(() => rows.count()).toBe(4);
    await env.screenshot('conversations');

    await page.getByLabel('Intent').selectOption('order_status');
    await eventually(() => rows.count()).toBe(1);
    expect(page.url()).toContain('intent=order_status');
    await page.getByLabel('Intent').selectOption('');
    await page.getByLabel('Search').fill(AARAV.order);
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(() => rows.count()).toBe(1);
    await eventually(() => rows.first().textContent()).toContain(AARAV.email);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(() => rows.count()).toBe(4);

    await page.getByRole('link', { name: ANYA.email }).click();
    await page.getByRole('heading', { name: ANYA.email, level: 1 }).waitFor();
    const thread = page.locator('section[aria-labelledby="thread-title"]');
    await thread.getByText(`where is my order ${ANYA.order}`).waitFor();
    await thread.getByText('has shipped and is on its way').waitFor();

    const trace = page.getByRole('article', { name: 'Decision trace' });
    const nodes = await trace.locator('.node-name').allTextContents();
    expect(nodes).toEqual(expect.arrayContaining(['understand', 'gatherContext', 'decide', 'respond', 'check', 'deliverDecision']));
    const summary = await trace.locator('.trace-summary').innerText();
    expect(summary).toMatch(/Outcome\s+Auto/i);
    expect(summary).toMatch(/Intent\s+Order status/i);
    expect(summary).toMatch(/Confidence\s+[01]\.\d\d/i);
    // The order facts the bot looked up, and the policy passages it read.
    const facts = await trace.locator('.node', { hasText: 'gatherContext' }).innerText();
    expect(facts).toContain(ANYA.order);
    expect(facts).toMatch(/State\s+in_transit/);
    expect(await trace.locator('.citations li').count()).toBeGreaterThan(0);
    await env.screenshot('conversation');
  }, 60_000);

  it('approves a pending draft from the queue and shows it delivered', async () => {
    await page.getByRole('link', { name: /^Approvals/ }).click();
    await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
    const card = page.locator('li.draft', { hasText: `cancelled your order ${AARAV.order}` });
    await card.waitFor();
    await env.screenshot('approvals');

    const drafts = await env.api<{ drafts: { message_id: string; conversation_id: string; content: string }[] }>('GET', '/approvals');
    const draft = drafts.body.drafts.find((d) => d.content.includes(AARAV.order))!;
    await card.getByRole('button', { name: 'Approve and send' }).click();
    // The worker sends it; the page follows the message until it is delivered.
    await card.getByText('Delivered to the customer.').waitFor({ timeout: 30_000 });

    const conv = await env.api<Detail>('GET', `/conversations/${draft.conversation_id}`);
    expect(conv.body.messages.find((m) => m.id === draft.message_id)?.status).toBe('sent');
    // Approving the draft ran the cancellation it announced.
    expect(conv.body.actions.map((a) => a.status)).toEqual(['completed']);

    await page.reload();
    await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
    await page.locator('li.draft').first().waitFor();
    expect(await page.locator('li.draft', { hasText: AARAV.order }).count()).toBe(0);
  }, 60_000);

  it('edits a draft before sending it, and rejects another, from the conversation page', async () => {
    const { body } = await env.api<{ drafts: { message_id: string; conversation_id: string; content: string; intent: string }[] }>(
      'GET',
      '/approvals',
    );
    const refund = body.drafts.find((d) => d.intent === 'refund_request')!;
    const question = body.drafts.find((d) => d.intent !== 'refund_request')!;

    await page.goto(url(`/conversations/${refund.conversation_id}`));
    const bot = page.locator('li.message-assistant');
    await bot.getByRole('button', { name: 'Edit and send' }).click();
    const edited = 'Hi Chen, so sorry about the broken puzzle: your $46.00 refund is on its way. The support team';
    await bot.getByLabel('Reply to send').fill(edited);
    await bot.getByRole('button', { name: 'Send edited reply' }).click();
    await bot.getByText('Delivered to the customer.').waitFor({ timeout: 30_000 });
    const sent = await env.api<Detail & { messages: { id: string; content: string }[] }>('GET', `/conversations/${refund.conversation_id}`);
    const reply = sent.body.messages.find((m) => m.id === refund.message_id)!;
    expect(reply).toMatchObject({ status: 'sent', content: edited });

    await page.goto(url(`/conversations/${question.conversation_id}`));
    await page.getByRole('button', { name: 'Reject' }).click();
    await page.getByText('Rejected: nothing was sent.').waitFor();
    const rejected = await env.api<Detail>('GET', `/conversations/${question.conversation_id}`);
    expect(rejected.body.messages.find((m) => m.id === question.message_id)?.status).toBe('rejected');
  }, 60_000);

  it('switches an intent from auto to draft and the next customer message is drafted', async () => {
    const tryAsAnya = async () => {
      await page.getByRole('link', { name: 'Try it', exact: true }).click();
      await page.getByRole('heading', { name: 'Try it', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Where is my order? (shipped)' }).click();
      expect(await page.getByLabel('Customer email').inputValue()).toBe(ANYA.email);
      await page.getByRole('button', { name: 'Send as customer' }).click();
      return page.locator('.chat-turn .message-assistant').last();
    };

    const before = await tryAsAnya();
    await eventually(() => before.getAttribute('data-outcome')).toBe('auto');
    expect(await before.locator('.bot-reply').textContent()).toContain('has shipped');

    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByLabel('Order status').selectOption('draft');
    await page.getByRole('button', { name: 'Save modes per intent' }).click();
    await page.getByText('Modes per intent: saved.').waitFor();
    const store = await env.api<{ settings: { modes: Record<string, string> } }>('GET', `/stores/${env.store.id}`);
    expect(store.body.settings.modes.order_status).toBe('draft');
    await env.screenshot('settings');

    // The limits section saves its numbers, the reply delay included.
    await page.getByLabel('Wait before answering (seconds)').fill('30');
    await page.getByRole('button', { name: 'Save thresholds and limits' }).click();
    await page.getByText('Thresholds and limits: saved.').waitFor();
    // Only the section's own fields change: the modes saved above are kept.
    const limits = await env.api<{ settings: { reply_delay_s: number; modes: Record<string, string> } }>('GET', `/stores/${env.store.id}`);
    expect(limits.body.settings.reply_delay_s).toBe(30);
    expect(limits.body.settings.modes.order_status).toBe('draft');
    await page.getByLabel('Wait before answering (seconds)').fill('0');
    await page.getByRole('button', { name: 'Save thresholds and limits' }).click();
    await page.getByText('Thresholds and limits: saved.').waitFor();

    const after = await tryAsAnya();
    await eventually(() => after.getAttribute('data-outcome')).toBe('draft');
    await after.getByText('Nothing was sent to the customer yet.').waitFor();
    await after.locator('.draft-text', { hasText: 'has shipped' }).waitFor();
    const trace = page.getByRole('article', { name: 'Decision trace' });
    await trace.locator('.node-summary', { hasText: 'Draft: mode is draft for order_status' }).waitFor();
    await env.screenshot('try-it');
  }, 90_000);

  it('manages knowledge: lists documents, previews a search, imports a document', async () => {
    await page.getByRole('link', { name: 'Knowledge', exact: true }).click();
    await page.getByRole('heading', { name: 'Knowledge', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'Store policy', exact: true }).waitFor();

    await page.getByLabel('A question as a customer would ask it').fill('how do I return a delivered order');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const hits = page.locator('ol.hits > li');
    await hits.first().waitFor();
    expect(await hits.allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Return delivered order')]));

    await page.getByLabel('Title').fill('Gift cards');
    await page.getByLabel('Content').fill('# Gift cards\n\nGift cards never expire and cannot be refunded.\n');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText(/Imported “Gift cards” as \d+ passages\./).waitFor();
    await page.getByRole('cell', { name: 'Gift cards', exact: true }).waitFor();
    await env.screenshot('knowledge');
  }, 60_000);

  it('draws the analytics charts from the recorded conversations', async () => {
    await page.getByRole('link', { name: 'Analytics', exact: true }).click();
    await page.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
    const kpi = page.locator('.kpi', { hasText: 'Conversations' }).locator('.kpi-value');
    await eventually(() => kpi.textContent()).toBe('6');

    // Drawn means SVG shapes with geometry, not just empty chart frames.
    await eventually(() => page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(5);
    const line = page.locator('.recharts-line-curve').first();
    expect(await line.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+[CL][\d.]+/);
    expect(await page.locator('.recharts-bar-rectangle path').count()).toBeGreaterThan(0);
    // Response time over time: a point for the day the replies were sent.
    const responses = page.locator('figure', { hasText: 'First response time' });
    await responses.locator('.recharts-line-dot, .recharts-dot').first().waitFor();
    const intents = page.locator('figure', { hasText: 'Intents' });
    await intents.getByText('Order status').first().waitFor();
    await env.screenshot('analytics');
  }, 60_000);

  it('is usable by keyboard: tabbing reaches the menu and Enter opens a page', async () => {
    await page.goto(url('/conversations'));
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    let reached = false;
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent?.startsWith('Approvals') ?? false);
    }
    expect(reached).toBe(true);
    // The focused link shows a visible outline.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/approvals');
  }, 30_000);

  it('sends a revoked key back to the sign-in page with the reason', async () => {
    // A settled page first (its list and the menu's approval count loaded), so the 401 comes
    // from the next click and not from a request still in flight.
    await page.goto(url('/knowledge'));
    await page.getByRole('cell', { name: 'Store policy', exact: true }).waitFor();
    await page.locator('.sidenav .count').waitFor();
    await env.ctx.db('api_keys').where({ key_hash: sha256Hex(env.apiKey) }).update({ revoked_at: new Date() });
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Support bot dashboard' }).waitFor();
    await eventually(() => page.getByRole('alert').textContent()).toContain('Signed out: invalid or revoked API key');
    expect(await page.evaluate(() => Object.values(sessionStorage))).not.toContain(env.apiKey);
  }, 30_000);

  it('ran without a script error (the only failed requests were the refused keys)', () => {
    expect(env.pageErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    expect(env.pageErrors.length).toBeGreaterThan(0); // the two refused keys were seen as 401s
  });
});
