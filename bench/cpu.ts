/** CPU accounting of a bench run, from /proc and Redis INFO. */
import { Redis } from 'ioredis';
import type { RunningApp } from './app.js';
import type { BenchDatabase } from './database.js';
import { readCpuMs } from './processes.js';

/**
 * CPU time used during the measured phase: each app process, this process (load driver and
 * stand-ins), the Postgres backends of the run's database, and the Redis server (shared with
 * whatever else uses it).
 */
export function cpuMeter(app: RunningApp, db: BenchDatabase) {
  const redis = new Redis(app.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  const redisCpuMs = async () => {
    const info = await redis.info('cpu').catch(() => '');
    const v = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
    return (v('used_cpu_sys') + v('used_cpu_user')) * 1000;
  };
  const own = () => (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  let procs: Record<string, number> = {};
  let pgStart = new Map<number, number>();
  let redisStart = NaN;
  let ownStart = 0;
  return {
    async start() {
      procs = Object.fromEntries(app.processes().map((p) => [p.name, readCpuMs(p.pid)]));
      const pids = (await db.backendPids?.().catch(() => null)) ?? [];
      pgStart = new Map(pids.map((pid) => [pid, readCpuMs(pid)]));
      redisStart = await redisCpuMs();
      ownStart = own();
    },
    async end(): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const p of app.processes()) out[p.name] = readCpuMs(p.pid) - (procs[p.name] ?? 0);
      out['bench (driver + stand-ins)'] = own() - ownStart;
      const pids = await db.backendPids?.().catch(() => null);
      if (pids) out['postgres (backends of the run database)'] = pids.reduce((s, pid) => s + readCpuMs(pid) - (pgStart.get(pid) ?? 0), 0);
      const r = (await redisCpuMs()) - redisStart;
      if (Number.isFinite(r)) out['redis-server (shared)'] = r;
      redis.disconnect();
      return out;
    },
  };
}
