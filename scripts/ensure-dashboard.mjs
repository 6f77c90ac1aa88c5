// `npm start` runs this first: build the dashboard when its build is missing or older than its
// sources, so a fresh clone serves /dashboard without a separate step. Never blocks the start.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dashboard', 'dist', 'index.html');
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

const stale = !existsSync(dist) || newest(join(root, 'dashboard', 'src')) > statSync(dist).mtimeMs;
if (stale) {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    console.warn('dashboard not built (vite is not installed); /dashboard will answer 503');
  } else {
    const r = spawnSync(process.execPath, [vite, 'build', '--config', 'dashboard/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) console.warn('dashboard build failed; /dashboard will answer 503');
  }
}
