import {
  Bar,
  Cell,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { label, ms, percent } from '../../format';
import type { Analytics } from '../../types';
import { ChartFrame, COLORS, legendText } from './ChartFrame';
import type { ResponsePoint } from './responseTimes';

const HEIGHT = 260;
const shortDate = (d: string) => d.slice(5);

export function VolumeChart({ daily }: { daily: Analytics['daily'] }) {
  return (
    <ChartFrame
      title="Conversations per day"
      columns={['Day', 'Conversations', 'Automated', 'Escalated']}
      rows={daily.some((d) => d.conversations > 0) ? daily.map((d) => [d.date, d.conversations, d.automated, d.escalated]) : []}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={daily} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="date" tickFormatter={shortDate} fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} width={36} />
          <Tooltip />
          <Legend formatter={legendText} />
          <Line type="monotone" dataKey="conversations" name="Conversations" stroke={COLORS.conversations} strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="automated" name="Automated" stroke={COLORS.automated} strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="escalated" name="Escalated" stroke={COLORS.escalated} strokeWidth={2} strokeDasharray="5 3" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

export function AutomationRateChart({ daily }: { daily: Analytics['daily'] }) {
  const data = daily.filter((d) => d.conversations > 0).map((d) => ({ date: d.date, rate: d.automated / d.conversations }));
  return (
    <ChartFrame title="Automation rate per day" columns={['Day', 'Automation rate']} rows={data.map((d) => [d.date, percent(d.rate)])}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="date" tickFormatter={shortDate} fontSize={12} />
          <YAxis domain={[0, 1]} tickFormatter={(v: number) => percent(v)} fontSize={12} width={44} />
          <Tooltip formatter={(v) => percent(Number(v), 1)} />
          <Line type="monotone" dataKey="rate" name="Automation rate" stroke={COLORS.automated} strokeWidth={2} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

export function ResponseTimeChart({ points, bucketDays }: { points: ResponsePoint[]; bucketDays: number }) {
  const data = points.map((p) => ({ ...p, seconds: p.ms === null ? null : p.ms / 1000 }));
  const answered = data.filter((d) => d.seconds !== null);
  return (
    <ChartFrame
      title={bucketDays === 1 ? 'First response time per day' : `First response time per ${bucketDays} days`}
      columns={['Period', 'Average first response']}
      rows={answered.map((d) => [d.label, ms(d.ms)])}
      empty="No reply was sent in this period."
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="date" tickFormatter={shortDate} fontSize={12} />
          <YAxis fontSize={12} width={48} unit=" s" />
          <Tooltip formatter={(v) => ms(Number(v) * 1000)} />
          <Line type="monotone" dataKey="seconds" name="Average first response" stroke={COLORS.sky} strokeWidth={2} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

export function IntentsChart({ intents }: { intents: Analytics['intents'] }) {
  const data = Object.entries(intents)
    .map(([intent, count]) => ({ intent: label(intent), count }))
    .sort((a, b) => b.count - a.count);
  return (
    <ChartFrame title="Intents" columns={['Intent', 'Conversations']} rows={data.map((d) => [d.intent, d.count])}>
      <ResponsiveContainer width="100%" height={Math.max(HEIGHT, data.length * 28)}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" horizontal={false} />
          <XAxis type="number" allowDecimals={false} fontSize={12} />
          <YAxis type="category" dataKey="intent" width={130} fontSize={12} />
          <Tooltip />
          <Bar dataKey="count" name="Conversations" fill={COLORS.conversations} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

// Every status an action can be in, in the order a lead reads them; colours fixed per status.
const ACTION_STATES = ['completed', 'approved', 'proposed', 'awaiting_approval', 'failed', 'rejected'] as const;

export function ActionsChart({ actions }: { actions: Analytics['actions'] }) {
  const data = Object.entries(actions).map(([type, counts]) => ({ type: label(type), ...counts }));
  const present = ACTION_STATES.filter((s) => data.some((d) => ((d as Record<string, unknown>)[s] as number | undefined ?? 0) > 0));
  return (
    <ChartFrame
      title="Store actions"
      columns={['Action', ...present.map((s) => label(s))]}
      rows={data.map((d) => [d.type, ...present.map((s) => ((d as Record<string, unknown>)[s] as number | undefined) ?? 0)])}
      empty="No store action (cancel, refund, address change, return) in this period."
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" vertical={false} />
          <XAxis dataKey="type" fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} width={36} />
          <Tooltip />
          <Legend formatter={legendText} />
          {present.map((s) => (
            <Bar key={s} dataKey={s} name={label(s)} stackId="a" fill={COLORS[s]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

const OUTCOME_COLORS: Record<string, string> = {
  auto: COLORS.automated,
  draft: COLORS.conversations,
  awaiting_approval: COLORS.awaiting_approval,
  escalated: COLORS.escalated,
  off: COLORS.rejected,
};

export function OutcomesChart({ outcomes }: { outcomes: Analytics['outcomes'] }) {
  const data = Object.entries(outcomes)
    .filter(([, n]) => n > 0)
    .map(([outcome, count]) => ({ outcome, name: label(outcome), count }));
  return (
    <ChartFrame title="What the bot did per message" columns={['Outcome', 'Messages']} rows={data.map((d) => [d.name, d.count])}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" vertical={false} />
          <XAxis dataKey="name" fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} width={36} />
          <Tooltip />
          <Bar dataKey="count" name="Messages" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.outcome} fill={OUTCOME_COLORS[d.outcome] ?? COLORS.accent} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
