import { z } from 'zod';
import type { Retriever } from './retrieve.js';

const rowSchema = z.object({
  question: z.string().min(1),
  sections: z.array(z.string().min(1)).min(1),
  intent: z.string().optional(),
});
export type EvalRow = z.infer<typeof rowSchema>;

/** The public report of `npm run eval:retrieval` (DESIGN.md, command-line contracts). */
export type RetrievalReport = { n: number; recall_at_1: number; recall_at_3: number; mrr: number };
export type EvalMiss = { question: string; sections: string[]; top: (string | null)[] };

/** One row per non-blank line; a bad line is reported with its number. */
export function parseDataset(text: string): EvalRow[] {
  const rows: EvalRow[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1}: not valid JSON`);
    }
    const parsed = rowSchema.safeParse(json);
    if (!parsed.success) throw new Error(`line ${i + 1}: expected {"question": string, "sections": string[]}`);
    rows.push(parsed.data);
  });
  return rows;
}

/**
 * A question is found at k when one of the top-k passages lies under a heading equal
 * (case-insensitive) to one of its sections: the passage's nearest heading, not its document
 * title. MRR uses the first such passage among the top `depth`.
 */
export async function evaluateRetrieval(
  retriever: Retriever,
  storeId: string,
  rows: EvalRow[],
  depth = 10,
): Promise<{ report: RetrievalReport; misses: EvalMiss[] }> {
  let at1 = 0;
  let at3 = 0;
  let rr = 0;
  const misses: EvalMiss[] = [];
  for (const row of rows) {
    const passages = await retriever.retrieve({ storeId, query: row.question, intent: row.intent, limit: depth });
    const wanted = new Set(row.sections.map(norm));
    const rank = passages.findIndex((p) => p.heading !== null && wanted.has(norm(p.heading)));
    if (rank === 0) at1++;
    if (rank >= 0 && rank < 3) at3++;
    if (rank >= 0) rr += 1 / (rank + 1);
    if (rank < 0 || rank >= 3) {
      misses.push({ question: row.question, sections: row.sections, top: passages.slice(0, 3).map((p) => p.heading) });
    }
  }
  const n = rows.length;
  const ratio = (x: number) => (n === 0 ? 0 : Math.round((x / n) * 10_000) / 10_000);
  return { report: { n, recall_at_1: ratio(at1), recall_at_3: ratio(at3), mrr: ratio(rr) }, misses };
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
