import { describe, expect, it } from 'vitest';
import { withinBusinessHours } from '../../../src/pipeline/business-hours.js';
import { deliverDecisionNode } from '../../../src/pipeline/nodes/deliver-decision.js';
import type { State } from '../../../src/pipeline/state.js';
import { settings, understanding } from '../../helpers/pipeline-fixtures.js';
import { businessHoursSchema, parseSettings } from '../../../src/domain/settings.js';

const run = async (over: { modes?: Record<string, string>; confidence?: number; threshold?: number; checkOk?: boolean }) => {
  const s = parseSettings({ ...settings(), modes: over.modes ?? { default: 'auto' }, confidence_threshold: over.threshold ?? 0.7 });
  const state = {
    input: { settings: s },
    understanding: understanding({ intent: 'order_status', confidence: over.confidence ?? 0.9 }),
    checkResult: over.checkOk === false ? { ok: false, problems: ['amount $1 is not in the context'] } : { ok: true },
  } as unknown as State;
  return (await deliverDecisionNode()(state)).outcome as { outcome: string; reason: string };
};

describe('delivery decision per store settings', () => {
  it('follows the mode of the intent, else the default', async () => {
    expect((await run({ modes: { default: 'auto', order_status: 'off' } })).outcome).toBe('off');
    expect((await run({ modes: { default: 'auto', order_status: 'draft' } })).outcome).toBe('draft');
    expect((await run({ modes: { default: 'draft', order_status: 'auto' } })).outcome).toBe('auto');
    expect((await run({ modes: { default: 'draft' } })).outcome).toBe('draft');
  });

  it('falls back to a draft below the confidence threshold', async () => {
    const r = await run({ confidence: 0.6, threshold: 0.7 });
    expect(r.outcome).toBe('draft');
    expect(r.reason).toContain('below the auto threshold');
    expect((await run({ confidence: 0.7, threshold: 0.7 })).outcome).toBe('auto');
  });

  it('never sends automatically a reply that failed the grounding check', async () => {
    const r = await run({ checkOk: false });
    expect(r.outcome).toBe('draft');
    expect(r.reason).toContain('grounding check failed');
  });
});

describe('business hours', () => {
  const hours = businessHoursSchema.parse({ enabled: true, timezone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' });
  it('knows weekday office hours in the store time zone', () => {
    expect(withinBusinessHours(hours, new Date('2026-11-23T15:00:00Z'))).toBe(true); // Monday 10:00 in New York
    expect(withinBusinessHours(hours, new Date('2026-11-23T23:00:00Z'))).toBe(false); // Monday 18:00
    expect(withinBusinessHours(hours, new Date('2026-11-22T15:00:00Z'))).toBe(false); // Sunday
  });
  it('is always open when hours are not enabled', () => {
    expect(withinBusinessHours({ ...hours, enabled: false }, new Date('2026-11-22T03:00:00Z'))).toBe(true);
  });
});
