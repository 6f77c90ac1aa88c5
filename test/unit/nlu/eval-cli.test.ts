import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalMain } from '../../../src/cli/eval.js';
import { createUnderstandingEngine } from '../../../src/nlu/engines.js';

const quiet = { log: () => {}, error: () => {} };

function tempDataset(rows: object[]): { dir: string; dataset: string; report: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nlu-eval-'));
  const dataset = join(dir, 'rows.jsonl');
  writeFileSync(dataset, rows.map((r) => JSON.stringify(r)).join('\n'));
  return { dir, dataset, report: join(dir, 'out', 'report.json') };
}

describe('eval CLI', () => {
  it('writes the report in the public shape with sensible values', async () => {
    const { dataset, report } = tempDataset([
      {
        text: 'Please cancel my order #W7000001, I ordered the wrong one.',
        intent: 'cancel_order',
        order_number: '#W7000001',
      },
      {
        text: 'Where is order #W7000002? It is a week late.',
        intent: 'order_status',
        order_number: 'W7000002',
      },
      { text: 'Can I change my delivery address to 5 Elm St?', intent: 'address_change' },
      // Bitext shape: our_intent + our_entities, with an acceptable alternative.
      {
        text: 'I need to see the status of my refund',
        our_intent: 'refund_request',
        alt_intents: ['order_status'],
        our_entities: {},
        mapping: 'ambiguous',
      },
      {
        text: 'my email is kim.lee+orders@example.com, where is my parcel?',
        intent: 'order_status',
        email: 'Kim.Lee+orders@example.com',
      },
      { text: 'no intent here' },
    ]);
    const argv = ['--dataset', dataset, '--report', report, '--engine', 'local'];
    const code = await evalMain(argv, {}, quiet);
    expect(code).toBe(0);
    const out = JSON.parse(readFileSync(report, 'utf8'));
    expect(out.n).toBe(5);
    expect(Object.keys(out).sort()).toEqual(['entities', 'intent', 'latency_ms', 'n']);
    expect(out.intent.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(out.intent.macro_f1).toBeGreaterThan(0);
    expect(out.intent.per_intent.cancel_order).toMatchObject({ support: 1 });
    for (const m of Object.values(out.intent.per_intent) as Record<string, number>[]) {
      const keys = ['precision', 'recall', 'f1', 'support'];
      expect(Object.keys(m)).toEqual(expect.arrayContaining(keys));
    }
    expect(out.entities.order_number).toMatchObject({ precision: 1, recall: 1 });
    expect(out.entities.email).toMatchObject({ precision: 1, recall: 1 });
    expect(out.latency_ms.p50).toBeGreaterThan(0);
    expect(out.latency_ms.p95).toBeGreaterThanOrEqual(out.latency_ms.p50);
  });

  it('filters by mapping and counts an unexpected extraction as a false positive', async () => {
    const { dataset, report } = tempDataset([
      {
        text: 'cancel order 12345678',
        our_intent: 'cancel_order',
        mapping: 'clean',
        our_entities: {},
      },
      { text: 'check invoice #12588', our_intent: 'general_inquiry', mapping: 'ambiguous' },
    ]);
    const argv = ['--dataset', dataset, '--report', report, '--filter-mapping', 'clean'];
    const code = await evalMain(argv, {}, quiet);
    expect(code).toBe(0);
    const out = JSON.parse(readFileSync(report, 'utf8'));
    expect(out.n).toBe(1);
    expect(out.entities.order_number).toMatchObject({ precision: 0, fp: 1, recall: 1 });
  });

  it('exits 2 with a clear message for a missing dataset or an unavailable engine', async () => {
    const errors: string[] = [];
    const io = { log: () => {}, error: (l: string) => errors.push(l) };
    const missing = ['--dataset', '/nonexistent/x.jsonl', '--report', '/tmp/r.json'];
    expect(await evalMain(missing, {}, io)).toBe(2);
    expect(errors.join('\n')).toMatch(/cannot read dataset/);
    const { dataset, report } = tempDataset([{ text: 'hi', intent: 'other' }]);
    const openai = ['--dataset', dataset, '--report', report, '--engine', 'openai'];
    expect(await evalMain(openai, {}, io)).toBe(2);
    expect(errors.join('\n')).toMatch(/openai engine needs OPENAI_API_KEY/);
  });

  it('rejects a misspelt option instead of running with defaults, and --help prints usage without running', async () => {
    const errors: string[] = [];
    const logs: string[] = [];
    const io = { log: (l: string) => logs.push(l), error: (l: string) => errors.push(l) };
    const { dataset, report } = tempDataset([{ text: 'where is my order', intent: 'order_status' }]);
    expect(await evalMain(['--dataset', dataset, '--report', report, '--enigne', 'openai'], {}, io)).toBe(2);
    expect(errors.join('\n')).toMatch(/unknown option --enigne/);
    expect(await evalMain(['--help'], {}, io)).toBe(0);
    expect(logs.join('\n')).toMatch(/usage: npm run eval -- --dataset/);
    expect(existsSync(report)).toBe(false);
  });
});

describe('engine factory', () => {
  it('throws for openai unless a factory is injected', () => {
    expect(() => createUnderstandingEngine('openai')).toThrow('the openai engine needs OPENAI_API_KEY');
    const fake = {
      name: 'openai' as const,
      understand: async () => {
        throw new Error('unused');
      },
    };
    expect(createUnderstandingEngine('openai', { openai: () => fake })).toBe(fake);
    expect(createUnderstandingEngine('local').name).toBe('local');
  });
});
