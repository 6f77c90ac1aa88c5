import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '../../../src/conversations/turn.js';
import { createLogger } from '../../../src/logger.js';
import { createPipelineRuntime, pipelineDepsFor, pipelineFor } from '../../../src/pipeline/factory.js';
import { buildGraph } from '../../../src/pipeline/graph.js';
import { updateStoreSettings, type Store } from '../../../src/store/stores.js';
import { parseSettings } from '../../../src/domain/settings.js';
import { testConfig, TEST_ENCRYPTION_KEY } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { sendAsCustomer } from '../../helpers/pipeline.js';
import { loadDemoStore } from '../../helpers/stores.js';

const ORDER = '#W2611340'; // in transit with tracking 357962501027
let db: TestDb;
let store: Store;
let email: string;
const ctx = () => ({ db: db.knex, config: testConfig(), logger: createLogger('silent'), encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, 'hex') });

beforeAll(async () => {
  db = await createTestDb();
  store = await loadDemoStore(db.knex);
  email = (await db.knex('orders').where({ order_number: ORDER }).first()).email;
}, 60_000);
afterAll(async () => db?.close());

describe('a conversation over several messages', () => {
  it('keeps the order of the first message for the next one, persisted in Postgres', async () => {
    const runtime = createPipelineRuntime(ctx());
    const first = await sendAsCustomer(ctx(), runtime, store, { text: `Where is my order ${ORDER}?`, email });
    expect(first.delivered.replyText).toContain('357962501027');
    // A second process (or a restart) would load the same state: only the database carries it.
    const second = await sendAsCustomer(ctx(), createPipelineRuntime(ctx()), store, {
      text: 'It was supposed to arrive yesterday',
      email,
      conversationId: first.turn.conversationId,
    });
    expect(second.turn.plan.escalation).toBeNull();
    expect(second.turn.state!.context!.orders.order?.orderNumber).toBe(ORDER);
    expect(second.delivered.replyText).toContain(ORDER);
    const messages = await db.knex('messages').where({ conversation_id: first.turn.conversationId }).orderBy('created_at');
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('records a turn once: running the same turn again replays it without a second reply', async () => {
    const graph = await pipelineFor(ctx() as never, createPipelineRuntime(ctx()), store);
    const input = { store, channel: 'api', externalTicketId: 'thread-1', customerEmail: email, customerName: null, text: `Status of ${ORDER}?`, turnKey: 'same-key' };
    const a = await runTurn(db.knex, graph, input);
    const b = await runTurn(db.knex, graph, input);
    expect(b.replayed).toBe(true);
    expect(b.traceId).toBe(a.traceId);
    expect(b.plan).toEqual(a.plan);
    const assistant = await db.knex('messages').where({ conversation_id: a.conversationId, role: 'assistant' });
    expect(assistant).toHaveLength(1);
  });

  it('writes the full decision trace: every node, with latency and its output', async () => {
    const { turn } = await sendAsCustomer(ctx(), createPipelineRuntime(ctx()), store, { text: `Where is ${ORDER}? Also how long do returns take?`, email });
    const trace = await db.knex('decision_traces').where({ id: turn.traceId }).first();
    expect(trace.nodes.map((n: { node: string }) => n.node)).toEqual(['understand', 'gatherContext', 'decide', 'respond', 'check', 'deliverDecision']);
    for (const n of trace.nodes) expect(n.latencyMs).toBeTypeOf('number');
    expect(trace.engine).toBe('local');
    expect(trace.citations.length).toBeGreaterThan(0);
  });
});

describe('one compiled graph, many stores', () => {
  it('runs turns at the same time, each with its own store data', async () => {
    const runtime = createPipelineRuntime(ctx());
    const deps = await pipelineDepsFor(ctx() as never, runtime, store);
    // Another store's order facts: this order number is not theirs.
    const elsewhere = buildGraph({ ...deps, orders: { getOrderByNumber: async () => ({ order: null, stale: false }), listOrdersByEmail: async () => [] } });
    const here = buildGraph(deps);
    const input = (n: number) => ({ store, channel: 'api', externalTicketId: null, customerEmail: email, customerName: null, text: `Where is my order ${ORDER}?`, turnKey: `concurrent-${n}` });
    const [a, b, c] = await Promise.all([runTurn(db.knex, here, input(1)), runTurn(db.knex, elsewhere, input(2)), runTurn(db.knex, here, input(3))]);
    expect(a.state!.context!.orders.order?.orderNumber).toBe(ORDER);
    expect(c.state!.context!.orders.order?.orderNumber).toBe(ORDER);
    expect(b.state!.context!.orders.order).toBeNull();
  });
});

describe('an emailed thank-you above quoted history', () => {
  it('is answered as a thank-you: the quoted question is not read as a new one', async () => {
    const text = 'Thanks so much, that sorted it!\n\nOn Mon, Nov 16, 2026 at 10:00 AM Support <help@shop.example> wrote:\n> Where is my order? Could you check?';
    const { turn } = await sendAsCustomer(ctx(), createPipelineRuntime(ctx()), store, { text, email });
    expect(turn.plan.escalation).toBeNull();
    expect(turn.plan.replyText).toContain('You’re welcome');
    expect(turn.plan.replyText).not.toContain('will get back to you');
  });
});

describe('outside business hours', () => {
  it('sends a holding reply at once and keeps the answer as a draft for the team', async () => {
    const closed = await updateStoreSettings(
      db.knex,
      store.id,
      parseSettings({ ...store.settings, modes: { default: 'auto' }, business_hours: { enabled: true, timezone: 'UTC', days: [], start: '09:00', end: '17:00', outsideHours: 'holding_reply' } }),
    );
    try {
      const { turn, delivered } = await sendAsCustomer(ctx(), createPipelineRuntime(ctx()), closed, { text: `Where is my order ${ORDER}?`, email });
      expect(delivered.outcome).toBe('draft');
      expect(turn.plan.reason).toContain('outside business hours');
      const messages = await db.knex('messages').where({ conversation_id: turn.conversationId, role: 'assistant' }).orderBy('created_at');
      expect(messages.map((m) => [m.delivery, m.status])).toEqual(expect.arrayContaining([['public', 'sent'], ['draft', 'pending_approval']]));
      expect(messages.find((m) => m.status === 'sent')!.content).toMatch(/offline right now/);
      expect(messages.find((m) => m.status === 'pending_approval')!.content).toContain('357962501027');
    } finally {
      await updateStoreSettings(db.knex, store.id, store.settings);
    }
  });
});
