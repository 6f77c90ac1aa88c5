import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { createPipelineRuntime } from '../../../src/pipeline/factory.js';
import { updateStoreSettings, type Store } from '../../../src/store/stores.js';
import { parseSettings } from '../../../src/domain/settings.js';
import { testConfig, TEST_ENCRYPTION_KEY } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { OPENAI_BASE, mockOpenAI } from '../../helpers/openai-mock.js';
import { sendAsCustomer } from '../../helpers/pipeline.js';
import { loadDemoStore } from '../../helpers/stores.js';

// The OpenAI engine against the real pipeline and demo store, with the OpenAI HTTP API mocked.
const ORDER = '#W2611340'; // in transit, tracking 357962501027, owner james.li…
let db: TestDb;
let store: Store;
let ownerEmail: string;
const config = testConfig({ OPENAI_API_KEY: 'sk-test-123', OPENAI_TIMEOUT_MS: '2000' });
const ctx = () => ({ db: db.knex, config, logger: createLogger('silent'), encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, 'hex') });

const understood = {
  intent: 'order_status',
  sub_intents: [],
  confidence: 0.93,
  language: 'en',
  sentiment: 'neutral',
  intensity: 1,
  indicators: [],
  wants_human: false,
  legal_threat: false,
  safety_issue: false,
  extracted_entities: { order_id: ORDER, email: null, product: null },
  reasoning: 'asks where the order is',
};

beforeAll(async () => {
  db = await createTestDb();
  const demo = await loadDemoStore(db.knex);
  store = await updateStoreSettings(db.knex, demo.id, parseSettings({ ...demo.settings, modes: { default: 'auto' } }));
  ownerEmail = (await db.knex('orders').where({ order_number: ORDER }).first()).email;
}, 60_000);
afterEach(() => nock.cleanAll());
afterAll(async () => db?.close());

describe('OpenAI engine', () => {
  it('understands with structured output, writes the reply with the model, and accounts tokens and cost', async () => {
    const { scope, requests } = mockOpenAI({
      structured: understood,
      text: `Hi James, your order ${ORDER} has shipped and is on its way. Tracking number: 357962501027. Anything else I can help with?\nThe support team`,
    });
    const runtime = createPipelineRuntime(ctx());
    const { turn, delivered } = await sendAsCustomer(ctx(), runtime, store, { text: `Where is my order ${ORDER}?`, email: ownerEmail });
    scope.done();
    expect(requests.map((r) => r.model)).toEqual(['gpt-4o-mini', 'gpt-4o']);
    // The customer text is data inside the user message, never the system prompt.
    expect(requests[0]!.messages[0]!.content).not.toContain(ORDER);
    expect(turn.state!.engine).toBe('openai');
    expect(delivered.outcome).toBe('auto');
    expect(delivered.replyText).toContain('357962501027');
    const trace = await db.knex('decision_traces').where({ id: turn.traceId }).first();
    expect(trace.total_tokens).toBe(1000);
    expect(Number(trace.cost_usd)).toBeGreaterThan(0);
    const understand = trace.nodes.find((n: { node: string }) => n.node === 'understand');
    expect(understand.model).toBe('gpt-4o-mini');
  });

  it('holds back as a draft a model reply that invents a tracking number', async () => {
    mockOpenAI({ structured: understood, text: `Your order ${ORDER} is on its way, tracking 1Z999AA10123456784.` });
    const { turn, delivered } = await sendAsCustomer(ctx(), createPipelineRuntime(ctx()), store, { text: `Where is my order ${ORDER}?`, email: ownerEmail });
    expect(delivered.outcome).toBe('draft');
    expect(turn.plan.reason).toContain('grounding check failed');
    expect(delivered.replyText).toBeNull();
  });

  it('falls back to the local engine and templates when the provider fails, and says so in the trace', async () => {
    let calls = 0;
    nock(OPENAI_BASE)
      .post('/v1/chat/completions')
      .times(20)
      .reply(() => {
        calls += 1;
        return [500, { error: { message: 'The server had an error', type: 'server_error' } }];
      });
    const { turn, delivered } = await sendAsCustomer(ctx(), createPipelineRuntime(ctx()), store, { text: `Where is my order ${ORDER}?`, email: ownerEmail });
    expect(calls).toBeGreaterThanOrEqual(4); // both models tried, for understanding and for the reply
    expect(turn.state!.engine).toBe('openai->local');
    expect(delivered.outcome).toBe('auto');
    expect(delivered.replyText).toContain('357962501027');
    const notes = turn.state!.trace.map((t) => t.note).filter(Boolean).join(' ');
    expect(notes).toContain('local engine answered');
    expect(notes).toContain('templates answered');
  });
});
