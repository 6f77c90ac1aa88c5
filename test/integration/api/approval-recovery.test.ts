/**
 * A person approved a refund and a drafted reply, and Redis lost the refund's job before a worker
 * ran it (restart without persistence, failover, eviction). The recovery gives that approval its
 * job back under the same id; the other approval's job, still waiting, is left alone. Then real
 * BullMQ workers carry out both, each once. Real database and Redis; demo store, API channel.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverLostApprovals } from '../../../src/api/approval-recovery.js';
import { executeAction } from '../../../src/commerce/action-executor.js';
import { getCommerceConnector } from '../../../src/commerce/resolve-connector.js';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import type { Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { loadDemoStore } from '../../helpers/stores.js';
import { startTestWorkers } from '../../helpers/workers.js';
import { addKey, auth, findApprovalJobId, waitForJob } from './api-helpers.js';

let testDb: TestDb;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
let demo: Store;
let writer: string;
let workers: Awaited<ReturnType<typeof startTestWorkers>> | undefined;

beforeAll(async () => {
  testDb = await createTestDb();
  ctx = await createTestContext(testDb);
  app = createApp(ctx, routeModules(ctx));
  demo = await loadDemoStore(ctx.db);
  writer = await addKey(ctx.db, demo.id, ['write']);
});

afterAll(async () => {
  await workers?.stop();
  await ctx?.close();
  await testDb?.close();
});

const queue = () => ctx.queues.queue('approval.execute');
const start = (email: string, text: string) =>
  request(app).post('/api/v1/conversations').set(auth(writer)).send({ customer_email: email, customer_name: 'Test Customer', initial_message: text });
const post = (path: string) => request(app).post(`/api/v1${path}`).set(auth(writer)).send({});

describe('approvals whose job Redis lost', () => {
  it('are given their job back, and carried out once', async () => {
    const refund = await start('mei.gonzalez8775@example.com', 'I want a refund for order #W7303089, the items arrived damaged.');
    expect(refund.body.outcome).toBe('awaiting_approval');
    const actionId: string = refund.body.actions_taken[0].id;
    const cancel = await start('fatima.anderson1447@example.com', 'Please cancel my order #W2974929, I ordered by mistake.');
    expect(cancel.body).toMatchObject({ outcome: 'draft', pending_approval: true });
    const draftId: string = cancel.body.reply_message_id;

    expect((await post(`/actions/${actionId}/approve`)).status).toBe(202);
    expect((await post(`/messages/${draftId}/approve`)).status).toBe(202);
    const refundJob = await findApprovalJobId(queue(), 'action', actionId);
    const draftJob = await findApprovalJobId(queue(), 'message', draftId);
    await queue().remove(refundJob);
    expect(await queue().getJobState(refundJob)).toBe('unknown');

    // Decided a moment ago: not yet taken for lost (production waits 5 minutes).
    expect(await recoverLostApprovals(ctx, { olderThanMs: 60_000 })).toEqual([]);
    expect(await recoverLostApprovals(ctx, { olderThanMs: 0 })).toEqual([actionId]);
    expect(await queue().getJobState(refundJob)).toBe('waiting');
    expect((await queue().getJob(refundJob))?.data).toEqual({ storeId: demo.id, kind: 'action', id: actionId });
    expect(await recoverLostApprovals(ctx, { olderThanMs: 0 })).toEqual([]);
    expect(await queue().getWaitingCount()).toBe(2);

    workers = await startTestWorkers(ctx);
    expect(await waitForJob(queue(), refundJob)).toMatchObject({ state: 'completed', returnvalue: { status: 'completed' } });
    expect((await waitForJob(queue(), draftJob)).state).toBe('completed');

    expect((await ctx.db('actions').where({ id: actionId }).first()).status).toBe('completed');
    expect(await ctx.db('external_writes').where({ store_id: demo.id, operation: 'refund' }).select('status')).toEqual([{ status: 'sent' }]);
    const refundReplies = await ctx.db('messages').where({ conversation_id: refund.body.conversation_id, role: 'assistant' }).select('status', 'content');
    expect(refundReplies).toHaveLength(1);
    expect(refundReplies[0]).toMatchObject({ status: 'sent', content: expect.stringMatching(/issued a refund of \$395\.17/) });
    expect((await ctx.db('messages').where({ id: draftId }).first()).status).toBe('sent');
    expect((await ctx.db('orders').where({ store_id: demo.id, order_number: '#W2974929' }).first()).status).toBe('cancelled');
    // Carried out: nothing is left for the recovery, also once the queue has dropped the finished
    // jobs (as it does after a day, or 1,000 newer ones).
    await queue().remove(refundJob);
    await queue().remove(draftJob);
    expect(await recoverLostApprovals(ctx, { olderThanMs: 0 })).toEqual([]);
  });

  it('are given their job back when it was lost after the refund was made, and the reply goes out once', async () => {
    await workers?.stop();
    workers = undefined;
    const refund = await start('ava.moore6020@example.com', 'I want a refund for order #W4817420, the items arrived damaged.');
    expect(refund.body.outcome).toBe('awaiting_approval');
    const actionId: string = refund.body.actions_taken[0].id;
    expect((await post(`/actions/${actionId}/approve`)).status).toBe(202);
    const job = await findApprovalJobId(queue(), 'action', actionId);

    // What the job did before it was lost: the refund (the first step of approval.execute).
    const commerce = await getCommerceConnector(ctx, demo, {});
    expect(await executeAction({ db: ctx.db, connector: commerce, settings: demo.settings }, { storeId: demo.id, actionId })).toMatchObject({ status: 'completed' });
    await queue().remove(job);
    const replies = () => ctx.db('messages').where({ conversation_id: refund.body.conversation_id, role: 'assistant', status: 'sent' }).select('content');
    expect(await replies()).toEqual([]);

    expect(await recoverLostApprovals(ctx, { olderThanMs: 60_000 })).toEqual([]);
    expect(await recoverLostApprovals(ctx, { olderThanMs: 0 })).toEqual([actionId]);
    expect(await recoverLostApprovals(ctx, { olderThanMs: 0 })).toEqual([]);

    workers = await startTestWorkers(ctx);
    expect(await waitForJob(queue(), job)).toMatchObject({ state: 'completed', returnvalue: { status: 'completed' } });
    expect(await ctx.db('external_writes').where({ store_id: demo.id, operation: 'refund', status: 'sent' }).count({ n: '*' })).toEqual([{ n: 2 }]);
    expect(await replies()).toEqual([{ content: expect.stringMatching(/issued a refund/) }]);
    await queue().remove(job);
    expect(await recoverLostApprovals(ctx, { olderThanMs: 0 })).toEqual([]);
  });

  it('leaves alone an action carried out more than a day ago', async () => {
    const refund = await start('mei.gonzalez8775@example.com', 'I want a refund for order #W7303089, the items arrived damaged.');
    const actionId: string | undefined = refund.body.actions_taken?.[0]?.id;
    expect(actionId).toBeDefined();
    // Approved and carried out two days ago, its reply never sent: the job, if it used up its
    // attempts, may since have been purged, so "unknown" no longer means lost.
    await ctx.db('actions').where({ id: actionId }).update({ status: 'completed', approved_at: ctx.db.raw(`now() - interval '2 days'`) });
    expect(await recoverLostApprovals(ctx, { olderThanMs: 0 })).toEqual([]);
  });
});
