import type { Knex } from 'knex';
import type { z } from 'zod';
import type { analyticsSchema } from './schemas/stores.js';

export type Analytics = z.infer<typeof analyticsSchema>;

/**
 * The conversations of the period, one row each, with the flags every number is built from.
 * Definitions (docs/analytics.md): the period is UTC days, end inclusive, by conversation
 * creation; escalated = status escalated, or any turn escalated, or escalated through the API;
 * automated = at least one turn, every turn answered automatically, never escalated;
 * resolved = status resolved or closed.
 */
const PERIOD_CTE = `
with conv as (
  select c.id, c.status, c.csat_score, c.created_at, c.first_response_at, c.primary_intent,
         (c.created_at at time zone 'UTC')::date as day,
         (select count(*) from decision_traces t where t.conversation_id = c.id) as turns,
         (select count(*) from decision_traces t where t.conversation_id = c.id and t.outcome = 'auto') as auto_turns,
         (select count(*) from decision_traces t where t.conversation_id = c.id and t.outcome = 'escalated') as escalated_turns,
         (c.metadata->'escalation') is not null as escalated_by_api
    from conversations c
   where c.store_id = :storeId and c.created_at >= :from::timestamptz and c.created_at < :to::timestamptz
), flagged as (
  select conv.*,
         (status = 'escalated' or escalated_turns > 0 or escalated_by_api) as escalated,
         (status in ('resolved', 'closed')) as resolved
    from conv
), period as (
  select flagged.*, (turns > 0 and auto_turns = turns and not escalated) as automated from flagged
)`;

const OUTCOMES = ['auto', 'draft', 'escalated', 'off', 'awaiting_approval'];
const ACTION_STATUSES = ['completed', 'failed', 'awaiting_approval', 'rejected', 'proposed', 'approved'];

const rate = (part: string) => `coalesce(round(count(*) filter (where ${part})::numeric / nullif(count(*), 0), 4), 0)`;

/** Store analytics for [startDate, endDate] (YYYY-MM-DD, UTC, inclusive), all computed in SQL. */
export async function storeAnalytics(db: Knex, storeId: string, startDate: string, endDate: string): Promise<Analytics> {
  const from = `${startDate}T00:00:00.000Z`;
  const to = new Date(Date.parse(`${endDate}T00:00:00.000Z`) + 86_400_000).toISOString();
  const params = { storeId, from, to, startDate, endDate };
  const q = async (sql: string) => (await db.raw(`${PERIOD_CTE} ${sql}`, params)).rows as Record<string, unknown>[];

  const [summary] = await q(`
    select count(*) as total,
           count(*) filter (where automated) as automated,
           count(*) filter (where escalated) as escalated,
           count(*) filter (where resolved) as resolved,
           ${rate('automated')} as automation_rate,
           ${rate('escalated')} as escalation_rate,
           ${rate('resolved')} as resolution_rate,
           round(avg(extract(epoch from (first_response_at - created_at)) * 1000) filter (where first_response_at is not null)) as avg_response_ms,
           round(avg(csat_score)::numeric, 2) as csat_average,
           count(csat_score) as csat_responses
      from period`);
  const [turns] = await q(`
    select coalesce(sum(t.cost_usd), 0) as cost_usd, coalesce(sum(t.total_tokens), 0) as tokens, round(avg(t.latency_ms)) as avg_latency_ms
      from decision_traces t join period p on p.id = t.conversation_id where t.store_id = :storeId`);
  const outcomes = await q(`
    select t.outcome as key, count(*) as n
      from decision_traces t join period p on p.id = t.conversation_id where t.store_id = :storeId group by t.outcome`);
  const intents = await q(`select primary_intent as key, count(*) as n from period where primary_intent is not null group by primary_intent`);
  const actions = await q(`
    select a.action_type, a.status, count(*) as n
      from actions a join period p on p.id = a.conversation_id where a.store_id = :storeId group by a.action_type, a.status`);
  const daily = await q(`
    select to_char(d.day, 'YYYY-MM-DD') as date,
           count(p.id) as conversations,
           count(p.id) filter (where p.automated) as automated,
           count(p.id) filter (where p.escalated) as escalated,
           round(avg(extract(epoch from (p.first_response_at - p.created_at)) * 1000) filter (where p.first_response_at is not null)) as avg_response_ms
      from generate_series(:startDate::date, :endDate::date, interval '1 day') as d(day)
      left join period p on p.day = d.day::date
     group by d.day order by d.day`);

  const n = (v: unknown) => Number(v ?? 0);
  const nullable = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const byKey = (rows: Record<string, unknown>[], base: string[] = []) => {
    const out: Record<string, number> = Object.fromEntries(base.map((k) => [k, 0]));
    for (const r of rows) out[String(r.key)] = n(r.n);
    return out;
  };
  const actionCounts: Record<string, Record<string, number>> = {};
  for (const r of actions) {
    const type = String(r.action_type);
    actionCounts[type] ??= Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0]));
    actionCounts[type][String(r.status)] = n(r.n);
  }
  return {
    start_date: startDate,
    end_date: endDate,
    total_conversations: n(summary?.total),
    automated_conversations: n(summary?.automated),
    escalated_conversations: n(summary?.escalated),
    resolved_conversations: n(summary?.resolved),
    automation_rate: n(summary?.automation_rate),
    escalation_rate: n(summary?.escalation_rate),
    resolution_rate: n(summary?.resolution_rate),
    avg_response_time_ms: nullable(summary?.avg_response_ms),
    avg_processing_time_ms: nullable(turns?.avg_latency_ms),
    csat_average: nullable(summary?.csat_average),
    csat_responses: n(summary?.csat_responses),
    intents: byKey(intents),
    actions: actionCounts,
    outcomes: byKey(outcomes, OUTCOMES),
    cost_usd: Math.round(n(turns?.cost_usd) * 1e6) / 1e6,
    tokens: n(turns?.tokens),
    daily: daily.map((d) => ({ date: String(d.date), conversations: n(d.conversations), automated: n(d.automated), escalated: n(d.escalated), avg_response_time_ms: nullable(d.avg_response_ms) })),
  };
}
