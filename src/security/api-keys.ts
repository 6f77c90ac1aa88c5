import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { sha256Hex } from './crypto.js';

export const PERMISSIONS = ['read', 'write', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type ApiKeyRecord = {
  id: string;
  storeId: string;
  name: string;
  prefix: string;
  permissions: Permission[];
};

/** A new random key: shown once to the user; only its hash is stored. */
export function generateApiKey(): string {
  return `hsb_${randomBytes(24).toString('base64url')}`;
}

/** Stores the hash of `key` for a store. Idempotent for the same key (bootstrap keys). */
export async function saveApiKey(
  db: Knex,
  input: { storeId: string; key: string; name: string; permissions: Permission[] },
): Promise<ApiKeyRecord> {
  const [row] = await db('api_keys')
    .insert({
      store_id: input.storeId,
      name: input.name,
      prefix: input.key.slice(0, 8),
      key_hash: sha256Hex(input.key),
      permissions: input.permissions,
    })
    .onConflict('key_hash')
    .merge({ revoked_at: null, store_id: input.storeId, permissions: input.permissions })
    .returning(['id', 'store_id', 'name', 'prefix', 'permissions']);
  return toRecord(row);
}

/** The active key matching `key`, or null. One indexed lookup by hash. */
export async function findApiKey(db: Knex, key: string): Promise<ApiKeyRecord | null> {
  const row = await db('api_keys')
    .where({ key_hash: sha256Hex(key) })
    .whereNull('revoked_at')
    .first('id', 'store_id', 'name', 'prefix', 'permissions');
  return row ? toRecord(row) : null;
}

/** Admin implies write implies read. */
export function hasPermission(key: ApiKeyRecord, needed: Permission): boolean {
  const rank: Record<Permission, number> = { read: 0, write: 1, admin: 2 };
  return key.permissions.some((p) => rank[p] >= rank[needed]);
}

function toRecord(row: Record<string, unknown>): ApiKeyRecord {
  return {
    id: String(row.id),
    storeId: String(row.store_id),
    name: String(row.name),
    prefix: String(row.prefix),
    permissions: parsePgArray(row.permissions) as Permission[],
  };
}

/** pg returns text[] as an array; PGlite may too, but older paths give "{a,b}". */
function parsePgArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
  return [];
}
