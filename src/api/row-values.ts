/**
 * Row values as the API shows them, the same on PGlite and a Postgres server: timestamps as ISO
 * strings, numerics as numbers, jsonb as parsed JSON (a driver may hand back either form).
 */
export const iso = (v: unknown): string => new Date(v as string | Date).toISOString();
export const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const json = <T = unknown>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
