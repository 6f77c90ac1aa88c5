/**
 * Helpers for the REST API tests: auth headers, rows inserted as the pipeline would store them
 * (for fixtures with known numbers), and waiting for a background job.
 */
import type { Knex } from 'knex';
import type { Queue } from 'bullmq';
import { generateApiKey, saveApiKey, type Permission } from '../../../src/security/api-keys.js';

export const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

export async function addKey(db: Knex, storeId: string, permissions: Permission[], name = 'test key'): Promise<string> {
  const key = generateApiKey();
  await saveApiKey(db, { storeId, key, name, permissions });
  return key;
}

export type ConversationFixture = {
  storeId: string;
  createdAt: string;
  status?: string;
  channel?: string;
  intent?: string | null;
  sentiment?: string | null;
  csat?: number | null;
  firstResponseMs?: number | null;
  orderNumber?: string | null;
  externalId?: string | null;
  customerEmail?: string | null;
  metadata?: Record<string, unknown>;
  turns?: { outcome: string; latencyMs?: number; costUsd?: number; tokens?: number }[];
  actions?: { type: string; status: string; orderNumber?: string }[];
  messages?: { role: string; content: string; status?: string; delivery?: string | null }[];
};

/** One conversation with its turns (decision traces), actions and messages, at fixed times. */
export async function insertConversation(db: Knex, f: ConversationFixture): Promise<string> {
  const created = new Date(f.createdAt);
  const [c] = await db('conversations')
    .insert({
      store_id: f.storeId,
      channel: f.channel ?? 'api',
      status: f.status ?? 'active',
      primary_intent: f.intent ?? null,
      sentiment: f.sentiment ?? null,
      csat_score: f.csat ?? null,
      order_number: f.orderNumber ?? null,
      external_id: f.externalId ?? null,
      customer_email: f.customerEmail ?? null,
      metadata: JSON.stringify(f.metadata ?? {}),
      created_at: created,
      updated_at: created,
      first_response_at: f.firstResponseMs == null ? null : new Date(created.getTime() + f.firstResponseMs),
      resolved_at: f.status === 'resolved' ? new Date(created.getTime() + 3_600_000) : null,
    })
    .returning('id');
  const id = String(c.id);
  let i = 0;
  for (const t of f.turns ?? []) {
    i++;
    await db('decision_traces').insert({
      store_id: f.storeId,
      conversation_id: id,
      engine: 'local',
      outcome: t.outcome,
      intent: f.intent ?? null,
      confidence: 0.9,
      total_tokens: t.tokens ?? 0,
      cost_usd: t.costUsd ?? 0,
      latency_ms: t.latencyMs ?? 0,
      turn_key: `fixture-${id}-${i}`,
      created_at: new Date(created.getTime() + i * 1000),
    });
  }
  for (const a of f.actions ?? []) {
    i++;
    await db('actions').insert({
      store_id: f.storeId,
      conversation_id: id,
      action_type: a.type,
      order_number: a.orderNumber ?? '#W0000000',
      status: a.status,
      idempotency_key: `fixture-${id}-${i}`,
      created_at: created,
    });
  }
  for (const m of f.messages ?? []) {
    i++;
    await db('messages').insert({
      store_id: f.storeId,
      conversation_id: id,
      role: m.role,
      content: m.content,
      status: m.status ?? 'sent',
      delivery: m.delivery ?? null,
      created_at: new Date(created.getTime() + i * 1000),
    });
  }
  return id;
}

/** Waits for a job to finish (completed or failed for good) and returns its final state. */
export async function waitForJob(queue: Queue, jobId: string, timeoutMs = 20_000): Promise<{ state: string; returnvalue: unknown; attemptsMade: number; failedReason?: string }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = (await queue.getJob(jobId)) ? await queue.getJobState(jobId) : 'missing';
    // Read the job after its state is final: a copy fetched earlier has no return value yet.
    const job = state === 'completed' || state === 'failed' ? await queue.getJob(jobId) : null;
    if (job) return { state, returnvalue: job.returnvalue, attemptsMade: job.attemptsMade, failedReason: job.failedReason };
    if (Date.now() > until) throw new Error(`job ${jobId} did not finish in ${timeoutMs} ms (state ${state})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The approval job queued for a message or action (its id carries a timestamp). */
export async function findApprovalJobId(queue: Queue, kind: 'message' | 'action', id: string): Promise<string> {
  const until = Date.now() + 5000;
  for (;;) {
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized']);
    const job = jobs.find((j) => j.id?.startsWith(`approval-${kind}-${id}-`));
    if (job?.id) return job.id;
    if (Date.now() > until) throw new Error(`no approval job for ${kind} ${id}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
