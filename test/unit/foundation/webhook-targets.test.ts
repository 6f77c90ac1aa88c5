/**
 * What a webhook route remembers about the store a URL names. The route-level behaviour (a new
 * secret works at once, a deleted connection is refused) is in helpdesk-webhooks.test.ts and
 * connectors-api.test.ts; here, what decides which lookups reach the database.
 */
import { describe, expect, it } from 'vitest';
import type { HelpdeskConnector } from '../../../connectors/types.js';
import { WebhookTargets, type WebhookTarget } from '../../../src/http/webhooks/targets.js';
import type { Store } from '../../../src/store/stores.js';

const STORE_ID = '5b0c7c3e-6a53-4c8e-9d3e-0f5a4d2b1c11';
const store = (status: Store['status'] = 'active') => ({ id: STORE_ID, slug: 'shop', status }) as Store;
const connector = {} as HelpdeskConnector;

function setup(answer: () => WebhookTarget) {
  let clock = 1_000_000;
  const lookups: string[] = [];
  const targets = new WebhookTargets(
    async (kind, param) => {
      lookups.push(`${kind}:${param}`);
      return answer();
    },
    5_000,
    () => clock,
  );
  return { targets, lookups, advance: (ms: number) => (clock += ms) };
}

describe('WebhookTargets', () => {
  it('looks a connected store up once per five seconds, per vendor and URL', async () => {
    const { targets, lookups, advance } = setup(() => ({ store: store(), connector }));
    expect((await targets.get('zendesk', 'shop')).remembered).toBe(false);
    expect((await targets.get('zendesk', 'shop')).remembered).toBe(true);
    await targets.get('gorgias', 'shop');
    await targets.get('zendesk', STORE_ID);
    advance(4_999);
    await targets.get('zendesk', 'shop');
    advance(1);
    await targets.get('zendesk', 'shop');
    expect(lookups).toEqual(['zendesk:shop', 'gorgias:shop', `zendesk:${STORE_ID}`, 'zendesk:shop']);
  });

  it('never remembers a miss, so a store or helpdesk connected a moment later is found', async () => {
    let answer: WebhookTarget = { store: null, connector: null };
    const { targets, lookups } = setup(() => answer);
    await targets.get('zendesk', 'shop');
    answer = { store: store(), connector: null };
    await targets.get('zendesk', 'shop');
    answer = { store: store('uninstalled'), connector };
    await targets.get('zendesk', 'shop');
    answer = { store: store(), connector };
    expect((await targets.get('zendesk', 'shop')).target.connector).toBe(connector);
    expect(lookups).toHaveLength(4);
  });

  it('reads again when asked for a fresh answer, and forgets a store under every name', async () => {
    const { targets, lookups } = setup(() => ({ store: store(), connector }));
    await targets.get('zendesk', 'shop');
    await targets.get('gorgias', STORE_ID);
    expect((await targets.get('zendesk', 'shop', { fresh: true })).remembered).toBe(false);
    targets.forgetStore(STORE_ID);
    await targets.get('zendesk', 'shop');
    await targets.get('gorgias', STORE_ID);
    expect(lookups).toEqual(['zendesk:shop', `gorgias:${STORE_ID}`, 'zendesk:shop', 'zendesk:shop', `gorgias:${STORE_ID}`]);
  });
});
