/**
 * Rate-limit state per vendor account, shared by the connectors of one process. Helpdesk limits
 * are per account (Zendesk: 200–2,500 requests a minute by plan; Gorgias: 40 per 20 s for an API
 * key) and every job for that account spends the same budget. Without shared state each of the
 * worker's concurrent jobs finds out with a 429 of its own, and all of them ask again at the
 * instant the Retry-After ends, to be refused together again. So after a 429 the account is held
 * until its Retry-After, then one call asks first and the others wait for its answer: a success
 * lets everyone through, another 429 holds the account again. One instance per worker process
 * (jobs/handlers builds it); other processes learn from their own first 429.
 */
type Limited = { until: number; probe: Promise<void> | null };

export class VendorCooldowns {
  private readonly limited = new Map<string, Limited>();

  /** Milliseconds left before `account` may be asked again, 0 when it may be asked now. */
  remainingMs(account: string, nowMs: number): number {
    const state = this.limited.get(account);
    return state ? Math.max(0, state.until - nowMs) : 0;
  }

  /** The account answered 429: hold it until `untilMs` (a later hold already in place wins). */
  hold(account: string, untilMs: number): void {
    const state = this.limited.get(account);
    if (state) state.until = Math.max(state.until, untilMs);
    else this.limited.set(account, { until: untilMs, probe: null });
  }

  /**
   * The account answered a call: once its hold has passed it is not limited any more. A hold that
   * has not passed stays (another call's 429 a moment ago, or the budget reserve reached).
   */
  clear(account: string, nowMs: number): void {
    const state = this.limited.get(account);
    if (state && state.until <= nowMs) this.limited.delete(account);
  }

  /**
   * Whether a call may ask the account now that its hold has passed: `go` (not limited),
   * `probe` (this call asks first; call `done` when it has its answer), or `wait` for the call
   * that is asking.
   */
  turn(account: string): { go: true } | { probe: () => void } | { wait: Promise<void> } {
    const state = this.limited.get(account);
    if (!state) return { go: true };
    if (state.probe) return { wait: state.probe };
    let done!: () => void;
    const probe = new Promise<void>((resolve) => (done = resolve));
    state.probe = probe;
    return {
      probe: () => {
        if (state.probe === probe) state.probe = null;
        done();
      },
    };
  }
}
