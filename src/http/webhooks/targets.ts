/**
 * Which store and helpdesk connector a webhook URL names (`?store=` and the vendor), remembered
 * for a few seconds in each web process.
 *
 * Why: every helpdesk webhook read the store and then decrypted its credentials before it could
 * check the signature: two database round trips ahead of the one that records the event. With
 * the worker busy on the same Postgres, those waits were most of an acknowledgement. Measured with
 * `npm run bench` at 500 webhooks/s (one busy worker, three runs each): ack p50 32–46 → 5 ms, p99
 * 188–238 → 35–46 ms.
 *
 * What stays exact:
 * - A signature that fails against a remembered connector is checked once more against a fresh
 *   read, so a new signing secret works at once.
 * - Only complete answers are remembered: an unknown store or a helpdesk that is not connected is
 *   looked up again on every request, so connecting one works at once.
 * - Changing or deleting a connection, or the store's settings (its reply delay applies here),
 *   through this process's API forgets the store at once.
 *
 * What lags by at most `ttlMs` in *other* web processes: a deleted connection or an old secret
 * is still accepted there, and a new reply delay applies to events recorded from then on. The
 * event is only recorded: the worker reads the connection again and skips a ticket whose helpdesk
 * is no longer connected.
 */
import type { HelpdeskConnector } from '../../../connectors/types.js';
import type { Store } from '../../store/stores.js';

export const WEBHOOK_TARGET_TTL_MS = 5_000;

/** What a lookup found: no store, a store without this helpdesk, or both. */
export type WebhookTarget =
  | { store: null; connector: null }
  | { store: Store; connector: null }
  | { store: Store; connector: HelpdeskConnector };

type Loader = (kind: string, storeParam: string) => Promise<WebhookTarget>;

export class WebhookTargets {
  private readonly entries = new Map<string, { target: WebhookTarget; at: number }>();

  constructor(
    private readonly load: Loader,
    private readonly ttlMs = WEBHOOK_TARGET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The remembered target, or a fresh one when none is remembered, it expired, or `fresh` is set. */
  async get(kind: string, storeParam: string, opts: { fresh?: boolean } = {}): Promise<{ target: WebhookTarget; remembered: boolean }> {
    const key = `${kind}\u0000${storeParam}`;
    const hit = this.entries.get(key);
    if (hit && !opts.fresh && this.now() - hit.at < this.ttlMs) return { target: hit.target, remembered: true };
    const target = await this.load(kind, storeParam);
    if (target.connector && target.store.status === 'active') this.entries.set(key, { target, at: this.now() });
    else this.entries.delete(key);
    return { target, remembered: false };
  }

  /** Forgets every remembered target of this store (by slug and by id). */
  forgetStore(storeId: string): void {
    for (const [key, entry] of this.entries) if (entry.target.store?.id === storeId) this.entries.delete(key);
  }
}
