import { useState } from 'react';
import { api } from '../api';
import { ActionsChart, AutomationRateChart, IntentsChart, OutcomesChart, ResponseTimeChart, VolumeChart } from '../components/charts/Charts';
import { responseTimeSeries } from '../components/charts/responseTimes';
import { ErrorState, Loading } from '../components/StateViews';
import { ms, percent, usd } from '../format';
import { useSession } from '../session';
import { useAsync } from '../useAsync';

const day = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => day(new Date(Date.now() - n * 86_400_000));
const PRESETS = [7, 30, 90] as const;

/** Is the bot worth it: automation, resolution, escalations, CSAT and response time, over time. */
export function AnalyticsPage() {
  const { storeId } = useSession();
  const [range, setRange] = useState({ start: daysAgo(29), end: day(new Date()) });
  const data = useAsync(() => api.analytics(storeId, { start_date: range.start, end_date: range.end }), [storeId, range.start, range.end]);
  const a = data.data;
  const responseTimes = useAsync(async () => (a ? responseTimeSeries(storeId, a) : null), [a]);

  return (
    <section>
      <h1 tabIndex={-1}>Analytics</h1>
      <div className="filters" role="group" aria-label="Period">
        <div className="field date">
          <label htmlFor="a-start">From</label>
          <input id="a-start" type="date" value={range.start} max={range.end} onChange={(e) => e.target.value && setRange({ ...range, start: e.target.value })} />
        </div>
        <div className="field date">
          <label htmlFor="a-end">To</label>
          <input id="a-end" type="date" value={range.end} min={range.start} onChange={(e) => e.target.value && setRange({ ...range, end: e.target.value })} />
        </div>
        <div className="buttons presets">
          {PRESETS.map((n) => (
            <button
              key={n}
              type="button"
              className="btn btn-small"
              aria-pressed={range.start === daysAgo(n - 1) && range.end === day(new Date())}
              onClick={() => setRange({ start: daysAgo(n - 1), end: day(new Date()) })}
            >
              Last {n} days
            </button>
          ))}
        </div>
      </div>

      {data.loading && !a ? (
        <Loading what="Loading analytics" />
      ) : data.error || !a ? (
        <ErrorState error={data.error ?? new Error('no data')} retry={data.reload} title="Could not load analytics" />
      ) : (
        <>
          <dl className="kpis">
            <Kpi name="Conversations" value={String(a.total_conversations)} />
            <Kpi name="Automation rate" value={percent(a.automation_rate)} hint="answered with no human" />
            <Kpi name="Resolution rate" value={percent(a.resolution_rate)} />
            <Kpi name="Escalation rate" value={percent(a.escalation_rate)} />
            <Kpi name="CSAT" value={a.csat_average === null ? '—' : `${a.csat_average.toFixed(1)} / 5`} hint={a.csat_responses ? `${a.csat_responses} ratings` : 'no ratings yet'} />
            <Kpi name="First response" value={ms(a.avg_response_time_ms)} hint="average" />
            <Kpi name="Model cost" value={usd(a.cost_usd ?? 0)} hint={`${a.tokens ?? 0} tokens`} />
          </dl>
          {a.total_conversations === 0 && (
            <p className="notice">No conversation in this period yet: the charts fill in as customers write.</p>
          )}
          <div className="charts">
            <VolumeChart daily={a.daily} />
            <AutomationRateChart daily={a.daily} />
            {responseTimes.data ? (
              <ResponseTimeChart points={responseTimes.data.points} bucketDays={responseTimes.data.bucketDays} />
            ) : responseTimes.error ? (
              <ErrorState error={responseTimes.error} retry={responseTimes.reload} title="Could not load response times" />
            ) : (
              <Loading what="Loading response times" />
            )}
            <OutcomesChart outcomes={a.outcomes} />
            <IntentsChart intents={a.intents} />
            <ActionsChart actions={a.actions} />
          </div>
        </>
      )}
    </section>
  );
}

function Kpi({ name, value, hint }: { name: string; value: string; hint?: string }) {
  return (
    <div className="kpi card">
      <dt>{name}</dt>
      <dd>
        <span className="kpi-value">{value}</span>
        {hint && <span className="muted small">{hint}</span>}
      </dd>
    </div>
  );
}
