import type { Knex } from 'knex';
import { contentHash } from './chunk.js';
import { importDocument } from './import.js';
import { scrubPii } from './scrub.js';

export type LearnResult = { candidates: number; skipped?: 'not_found' | 'not_resolved' };

const RESOLVED = ['resolved', 'closed'];
const MIN_ANSWER = 40;
const MAX_CHARS = 4000;

/**
 * Turns the human agents' replies on a resolved conversation into candidate FAQ entries
 * (`source: learned`, `status: candidate`): the customer's question above each reply becomes
 * the heading, the reply its text, both scrubbed of PII. Candidates are never retrieved until
 * a person approves them. Idempotent: one candidate per agent message, and a candidate already
 * decided (approved or rejected) is never recreated.
 */
export async function learnFromConversation(
  db: Knex,
  ref: { storeId: string; conversationId: string },
): Promise<LearnResult> {
  const conv = await db('conversations')
    .where({ id: ref.conversationId, store_id: ref.storeId })
    .first('id', 'status', 'primary_intent');
  if (!conv) return { candidates: 0, skipped: 'not_found' };
  if (!RESOLVED.includes(conv.status)) return { candidates: 0, skipped: 'not_resolved' };
  const messages = (await db('messages')
    .where({ conversation_id: ref.conversationId, store_id: ref.storeId })
    .orderBy('created_at')
    .orderBy('id')
    .select('id', 'role', 'content', 'delivery')) as { id: string; role: string; content: string; delivery: string | null }[];

  let created = 0;
  let question: string | null = null;
  for (const m of messages) {
    if (m.role === 'user') {
      question = m.content;
      continue;
    }
    // Only public replies written by people: drafts may never have been sent, and the bot's
    // own answers would only teach it what it already says.
    if (m.role !== 'agent' || m.delivery === 'internal' || m.delivery === 'draft' || !question) continue;
    const q = oneLine(scrubPii(question));
    const a = scrubPii(m.content).slice(0, MAX_CHARS);
    question = null;
    if (q.length < 8 || a.length < MIN_ANSWER) continue;
    const sourceRef = `conversation/${ref.conversationId}/${m.id}`;
    const exists = await db('policy_documents').where({ store_id: ref.storeId, source: 'learned', source_ref: sourceRef }).first('id');
    if (exists) continue;
    const content = `## ${q}\n\n${a}`;
    const duplicate = await db('policy_documents').where({ store_id: ref.storeId, content_hash: contentHash(content) }).first('id');
    if (duplicate) continue;
    await importDocument(db, {
      storeId: ref.storeId,
      title: q.length > 120 ? `${q.slice(0, 117)}…` : q,
      sourceRef,
      content,
      source: 'learned',
      format: 'markdown',
      category: conv.primary_intent ? `faq:${conv.primary_intent}` : 'faq',
      status: 'candidate',
      metadata: { conversationId: ref.conversationId, messageId: m.id, intent: conv.primary_intent ?? null },
    });
    created++;
  }
  return { candidates: created };
}

/** A heading is one line: the question's first 300 characters, whitespace collapsed. */
function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}…` : flat;
}
