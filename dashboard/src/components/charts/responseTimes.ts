import { api } from '../../api';
import type { Analytics } from '../../types';

export type ResponsePoint = { date: string; label: string; ms: number | null };

const MAX_POINTS = 15;
const PARALLEL = 4;

/**
 * First response time over the period. Uses the per-day value when the server reports it;
 * otherwise asks the analytics endpoint once per bucket of days (at most 15 buckets, and none for
 * days without conversations), so the chart needs nothing but the public API.
 */
export async function responseTimeSeries(storeId: string, a: Analytics): Promise<{ points: ResponsePoint[]; bucketDays: number }> {
  if (a.daily.some((d) => 'avg_response_time_ms' in d)) {
    return { points: a.daily.map((d) => ({ date: d.date, label: d.date, ms: d.avg_response_time_ms ?? null })), bucketDays: 1 };
  }
  if (a.avg_response_time_ms === null) return { points: [], bucketDays: 1 };
  const size = Math.max(1, Math.ceil(a.daily.length / MAX_POINTS));
  const buckets: Analytics['daily'][] = [];
  for (let i = 0; i < a.daily.length; i += size) buckets.push(a.daily.slice(i, i + size));

  const points: ResponsePoint[] = buckets.map((b) => ({
    date: b[0]!.date,
    label: b.length === 1 ? b[0]!.date : `${b[0]!.date} – ${b.at(-1)!.date}`,
    ms: null,
  }));
  const todo = buckets.map((b, i) => ({ b, i })).filter(({ b }) => b.some((d) => d.conversations > 0));
  for (let k = 0; k < todo.length; k += PARALLEL) {
    await Promise.all(
      todo.slice(k, k + PARALLEL).map(async ({ b, i }) => {
        const r = await api.analytics(storeId, { start_date: b[0]!.date, end_date: b.at(-1)!.date });
        points[i]!.ms = r.avg_response_time_ms;
      }),
    );
  }
  return { points, bucketDays: size };
}
