import { badRequest } from '../errors.js';
import { storeSettingsSchema, type StoreSettings } from '../domain/settings.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A settings PATCH: deep-merged onto the current settings (objects merge, arrays and values
 * replace, `null` resets a field to its default), then validated by the one settings schema.
 * Errors answer 400 with each field's path; unknown fields are errors too (a typo must not
 * look saved).
 */
export function applySettingsPatch(current: StoreSettings, patch: Json): StoreSettings {
  const forbidden: string[] = [];
  const merged = deepMerge(current as unknown as Json, patch, 'settings', forbidden);
  const parsed = storeSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    throw badRequest(
      'invalid settings',
      parsed.error.issues.map((i) => ({ path: ['settings', ...i.path].join('.'), message: i.message })),
    );
  }
  const unknown = [...forbidden, ...strippedKeys(merged, parsed.data as unknown as Json, 'settings')].sort();
  if (unknown.length) {
    throw badRequest(
      `unknown settings: ${unknown.join(', ')}`,
      unknown.map((path) => ({ path, message: 'unknown setting' })),
    );
  }
  return parsed.data;
}

function deepMerge(base: Json, patch: Json, path: string, forbidden: string[]): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (FORBIDDEN_KEYS.has(key)) {
      forbidden.push(`${path}.${key}`);
      continue;
    }
    if (value === null) delete out[key];
    else if (isObject(value) && isObject(out[key])) out[key] = deepMerge(out[key] as Json, value, `${path}.${key}`, forbidden);
    else out[key] = value;
  }
  return out;
}

/** Keys the schema dropped while parsing: not settings it knows. */
function strippedKeys(input: Json, parsed: Json, path: string): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (!Object.hasOwn(parsed, key)) found.push(`${path}.${key}`);
    else if (isObject(value) && isObject(parsed[key])) found.push(...strippedKeys(value, parsed[key] as Json, `${path}.${key}`));
  }
  return found;
}
