/**
 * Our own entry points as real processes (`node --import tsx src/<entry>.ts`, like `npm start`),
 * each in its own process group so a stop takes its children with it, with output to a log file
 * (not a pipe the bench would have to drain), and peak RSS read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { repoRoot } from '../src/paths.js';

export type AppProcess = {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<number | null>;
  /** Peak resident set (VmHWM) in MB, while the process is alive; the last value read after. */
  peakRssMb(): number;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves when it exited. */
  stop(graceMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
};

const live = new Set<AppProcess>();
let hooked = false;

/** Kills every process we started when this process exits (normally or by an uncaught error). */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAllStarted);
}

export function killAllStarted(): void {
  for (const p of live) p.kill('SIGKILL');
}

/** For the CLI: Ctrl-C / SIGTERM also take the started processes down. */
export function killStartedOnSignals(): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killAllStarted();
      process.exit(130);
    });
  }
}

export function spawnApp(name: string, entry: string, env: Record<string, string>, logFile: string, nodeArgs: string[] = []): AppProcess {
  hookExit();
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: repoRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  const pid = child.pid ?? -1;
  let peak = 0;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  let done = false;
  void exited.then(() => {
    done = true;
    live.delete(proc);
  });
  const proc: AppProcess = {
    name,
    child,
    pid,
    logFile,
    exited,
    peakRssMb() {
      if (!done) peak = Math.max(peak, readPeakRssMb(pid));
      return peak;
    },
    kill(signal = 'SIGKILL') {
      if (done) return;
      try {
        process.kill(-pid, signal); // the whole group
      } catch {
        child.kill(signal);
      }
    },
    async stop(graceMs = 10_000) {
      if (done) return;
      proc.peakRssMb();
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  live.add(proc);
  return proc;
}

/** VmHWM (peak resident set) of a live process, in MB; 0 when unreadable. */
export function readPeakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : 0;
  } catch {
    return 0;
  }
}

/** Current resident set (VmRSS) of a live process, in MB; 0 when unreadable. */
export function readRssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a live process has used so far, in ms; 0 when unreadable. */
export function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** USER_HZ: 100 on every Linux build we run on. */
const CLOCK_TICKS = 100;

/** A free loopback port (bound then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls GET url until it answers `status`; throws with the process log tail if it exits first. */
export async function waitForHttp(url: string, status: number, timeoutMs: number, proc?: AppProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc?.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${proc?.name} exited before ${url} answered:\n${tail(proc!.logFile)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === status) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms${proc ? `:\n${tail(proc.logFile)}` : ''}`);
}

/** Waits until a line matching `pattern` appears in the process log. */
export async function waitForLog(proc: AppProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (pattern.test(readLog(proc.logFile))) return;
    if (exited) throw new Error(`${proc.name} exited:\n${tail(proc.logFile)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${proc.name}: no ${pattern} in the log within ${timeoutMs} ms:\n${tail(proc.logFile)}`);
}

export function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function tail(file: string, lines = 30): string {
  return readLog(file).trimEnd().split('\n').slice(-lines).join('\n');
}
