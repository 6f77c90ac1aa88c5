import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Passage } from './retrieve.js';

/** Policy passages change rarely: the seed's 1-hour TTL for policy documents. */
export const RETRIEVAL_CACHE_TTL_S = 3600;

/** Where retrieval results are kept between identical questions. Failures must not throw. */
export interface RetrievalCache {
  get(key: string): Promise<Passage[] | null>;
  set(key: string, passages: Passage[], ttlSeconds: number): Promise<void>;
}

/**
 * Key = store + knowledge version + a hash of the normalized query and its options. The
 * version is bumped with every import/delete, so an old answer is simply never asked for again
 * (and expires with its TTL). The question itself is hashed, never stored in the key.
 */
export function retrievalCacheKey(parts: {
  storeId: string;
  version: number;
  query: string;
  intent?: string;
  limit: number;
  model: string | null;
}): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([maskIdentifiers(normalizeQuery(parts.query)), parts.intent ?? '', parts.limit, parts.model ?? 'fts']))
    .digest('hex')
    .slice(0, 32);
  return `knowledge:${parts.storeId}:v${parts.version}:${digest}`;
}

/** Case, spacing and trailing punctuation don't change what a question asks. */
export function normalizeQuery(q: string): string {
  return q.toLowerCase().replace(/\s+/g, ' ').replace(/[\s?!.]+$/, '').trim();
}

/**
 * Identifiers a customer quotes: order numbers (#W1234567, #1001), email addresses, long digit
 * runs (phone, tracking) and long letter-digit codes. Which order a question is about does not
 * change which policy passages answer it (such tokens match no policy text), so "where is
 * #W1234567?" and "where is #W7654321?" share one cache entry instead of missing every time.
 */
const IDENTIFIERS: [RegExp, string][] = [
  [/[^\s@]+@[^\s@]+\.[^\s@]+/g, '<email>'],
  [/#?\bw\d{7}\b|#\d{3,}\b/g, '<order>'],
  [/\b(?=[a-z]*\d)[a-z0-9]{10,}\b|\b\d{5,}\b/g, '<id>'],
];

export function maskIdentifiers(q: string): string {
  return IDENTIFIERS.reduce((s, [re, token]) => s.replace(re, token), q);
}

/** A Redis-backed cache; errors (Redis away) read as a miss and skip the write. */
export function createRedisRetrievalCache(redis: Redis, opts: { prefix?: string } = {}): RetrievalCache {
  const prefix = opts.prefix ? `${opts.prefix}:` : '';
  return {
    async get(key) {
      try {
        const raw = await redis.get(prefix + key);
        return raw ? (JSON.parse(raw) as Passage[]) : null;
      } catch {
        return null;
      }
    },
    async set(key, passages, ttlSeconds) {
      try {
        await redis.set(prefix + key, JSON.stringify(passages), 'EX', ttlSeconds);
      } catch {
        // a cache that cannot write is just a slower cache
      }
    },
  };
}

/**
 * An in-process layer in front of another cache. Ticket after ticket asks the same few questions
 * of a store's policy; keeping the latest answers in memory saves a Redis round trip and a JSON
 * parse per ticket. It cannot serve stale passages: the key carries the knowledge version, which
 * every job reads from the database when it starts. Answers are frozen because they are shared by
 * every run of the process.
 */
export function withLocalLayer(inner: RetrievalCache, opts: { maxEntries?: number; ttlMs?: number; now?: () => number } = {}): RetrievalCache {
  const max = opts.maxEntries ?? 500;
  const ttlMs = opts.ttlMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  const local = new Map<string, { passages: Passage[]; expires: number }>();
  const keep = (key: string, passages: Passage[]): Passage[] => {
    const frozen = Object.freeze(passages.map((p) => Object.freeze({ ...p, sources: Object.freeze([...p.sources]) }))) as Passage[];
    // Oldest first out: a Map iterates in insertion order.
    if (!local.has(key) && local.size >= max) local.delete(local.keys().next().value!);
    local.set(key, { passages: frozen, expires: now() + ttlMs });
    return frozen;
  };
  return {
    async get(key) {
      const hit = local.get(key);
      if (hit && hit.expires > now()) return hit.passages;
      if (hit) local.delete(key);
      const shared = await inner.get(key);
      return shared ? keep(key, shared) : null;
    },
    async set(key, passages, ttlSeconds) {
      keep(key, passages);
      await inner.set(key, passages, ttlSeconds);
    },
  };
}
