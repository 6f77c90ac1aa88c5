// Summarises a V8 .cpuprofile (e.g. from `npm run bench -- --cpu-prof DIR`): self time by package
// and by function, inclusive time of our own functions and of each package.
//   node bench/tools/cpuprofile-summary.mjs FILE.cpuprofile [top=40] [skip-first-s=0] [drop-last-s=0]
// The two last arguments cut start-up and shutdown out of the window.
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 40);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; const samples = p.samples;
// Optional window: argv[4] = seconds to skip at the start, argv[5] = seconds to drop at the end.
const skipS = Number(process.argv[4] ?? 0), dropS = Number(process.argv[5] ?? 0);
const totalUs = dt.reduce((a, b) => a + b, 0);
let clock = 0;
for (let i = 0; i < samples.length; i++) { clock += dt[i] ?? 0; if (clock < skipS * 1e6 || clock > totalUs - dropS * 1e6) continue; self.set(samples[i], (self.get(samples[i]) ?? 0) + (dt[i] ?? 0)); }
console.log('profile length s', (totalUs / 1e6).toFixed(1));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const pkg = (url) => {
  if (!url) return '(native)';
  const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const w = new RegExp(`${process.cwd()}/(.*)`).exec(url);
  return w ? w[1] : url.replace(/^.*\/(node:)?/, '');
};
const agg = (keyf) => { const m = new Map(); for (const [id, t] of self) { const k = keyf(byId.get(id)); m.set(k, (m.get(k) ?? 0) + t); } return [...m].sort((a, b) => b[1] - a[1]); };
const pct = (t) => ((t / total) * 100).toFixed(1) + '%';
console.log('total sampled ms', (total / 1000).toFixed(0));
console.log('\n== self by package/file');
for (const [k, t] of agg((n) => pkg(n.callFrame.url)).slice(0, top)) console.log(pct(t).padStart(7), k);
console.log('\n== self by function');
for (const [k, t] of agg((n) => `${n.callFrame.functionName || '(anon)'} ${pkg(n.callFrame.url)}:${n.callFrame.lineNumber}`).slice(0, top)) console.log(pct(t).padStart(7), k);
// inclusive: for each sample, walk up ancestors, count each distinct (fn,url) once
const incl = new Map();
for (const [id, t] of self) {
  const seen = new Set(); let cur = id;
  while (cur !== undefined) { const n = byId.get(cur); const k = `${n.callFrame.functionName || '(anon)'} ${pkg(n.callFrame.url)}:${n.callFrame.lineNumber}`; if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + t); } cur = parent.get(cur); }
}
console.log('\n== inclusive by function (own code)');
for (const [k, t] of [...incl].sort((a, b) => b[1] - a[1]).filter(([k]) => /(src|jobs|connectors)\//.test(k) && !/node_modules/.test(k)).slice(0, top)) console.log(pct(t).padStart(7), k);
console.log('\n== inclusive by package entry (langgraph, knex, pglite, bullmq, pino, zod, express)');
const inclPkg = new Map();
for (const [id, t] of self) { const seen = new Set(); let cur = id; while (cur !== undefined) { const k = pkg(byId.get(cur).callFrame.url); if (!seen.has(k)) { seen.add(k); inclPkg.set(k, (inclPkg.get(k) ?? 0) + t);} cur = parent.get(cur);} }
for (const [k, t] of [...inclPkg].sort((a, b) => b[1] - a[1]).filter(([k]) => !k.includes('/') || k.startsWith('@')).slice(0, top)) console.log(pct(t).padStart(7), k);
