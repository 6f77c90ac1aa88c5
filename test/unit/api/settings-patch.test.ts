import { describe, expect, it } from 'vitest';
import { applySettingsPatch } from '../../../src/api/settings-patch.js';
import { defaultSettings } from '../../../src/domain/settings.js';
import { HttpError } from '../../../src/errors.js';

const current = () => applySettingsPatch(defaultSettings(), { modes: { order_status: 'auto', cancel_order: 'draft' }, tags: { prefix: 'bot-' } });

function errorOf(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected an HttpError');
}

describe('applySettingsPatch', () => {
  it('merges nested objects and keeps what the patch does not name', () => {
    const next = applySettingsPatch(current(), { modes: { refund_request: 'off' }, business_hours: { enabled: true } });
    expect(next.modes).toEqual({ default: 'draft', order_status: 'auto', cancel_order: 'draft', refund_request: 'off' });
    expect(next.tags).toEqual({ enabled: true, prefix: 'bot-' });
    expect(next.business_hours).toEqual({ ...defaultSettings().business_hours, enabled: true });
  });

  it('replaces arrays and resets a field to its default with null', () => {
    const next = applySettingsPatch(current(), { business_hours: { days: [0, 6] }, tags: { prefix: null }, modes: { cancel_order: null } });
    expect(next.business_hours.days).toEqual([0, 6]);
    expect(next.tags.prefix).toBe('');
    expect(next.modes).toEqual({ default: 'draft', order_status: 'auto' });
  });

  it('reports every invalid field with its path', () => {
    const err = errorOf(() => applySettingsPatch(current(), { confidence_threshold: -1, business_hours: { end: '25:00' } }));
    expect(err.status).toBe(400);
    expect((err.details as { path: string }[]).map((d) => d.path).sort()).toEqual(['settings.business_hours.end', 'settings.confidence_threshold']);
  });

  it('rejects unknown fields at any depth (a typo must not look saved)', () => {
    const err = errorOf(() => applySettingsPatch(current(), { confidence: 0.9, escalation: { zendesk: { group: '1' } } }));
    expect(err.message).toBe('unknown settings: settings.confidence, settings.escalation.zendesk.group');
  });

  it('never merges through __proto__', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": 1}, "tags": {"__proto__": {"enabled": false}}}');
    const err = errorOf(() => applySettingsPatch(current(), patch));
    expect((err.details as { path: string }[]).map((d) => d.path)).toEqual(['settings.__proto__', 'settings.tags.__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
