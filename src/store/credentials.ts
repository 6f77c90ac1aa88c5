import type { Knex } from 'knex';
import { decrypt, encrypt } from '../security/crypto.js';

export type CredentialKind = 'zendesk' | 'gorgias' | 'shopify' | 'email';

/**
 * Per-store connector credentials, encrypted at rest (AES-256-GCM under ENCRYPTION_KEY).
 * `secrets` is encrypted; `meta` holds what is not secret (subdomain, account, base URL) and may be
 * shown in the API. Secrets never leave the server.
 */
export async function saveCredentials(
  db: Knex,
  key: Buffer,
  input: { storeId: string; kind: CredentialKind; secrets: Record<string, unknown>; meta?: Record<string, unknown> },
): Promise<void> {
  await db('connector_credentials')
    .insert({
      store_id: input.storeId,
      kind: input.kind,
      ciphertext: encrypt(key, JSON.stringify(input.secrets)),
      meta: JSON.stringify(input.meta ?? {}),
    })
    .onConflict(['store_id', 'kind'])
    .merge({
      ciphertext: encrypt(key, JSON.stringify(input.secrets)),
      meta: JSON.stringify(input.meta ?? {}),
      updated_at: db.fn.now(),
    });
}

export async function loadCredentials(
  db: Knex,
  key: Buffer,
  storeId: string,
  kind: CredentialKind,
): Promise<{ secrets: Record<string, unknown>; meta: Record<string, unknown> } | null> {
  const row = await db('connector_credentials').where({ store_id: storeId, kind }).first('ciphertext', 'meta');
  return row ? openCredentials(key, row) : null;
}

/** A `connector_credentials` row as read (possibly by a statement that reads more). */
export type CredentialRow = { ciphertext: string; meta: Record<string, unknown> | null };

export function openCredentials(key: Buffer, row: CredentialRow): { secrets: Record<string, unknown>; meta: Record<string, unknown> } {
  return { secrets: JSON.parse(decrypt(key, row.ciphertext)) as Record<string, unknown>, meta: row.meta ?? {} };
}

export async function deleteCredentials(db: Knex, storeId: string, kind: CredentialKind): Promise<void> {
  await db('connector_credentials').where({ store_id: storeId, kind }).delete();
}

/** Which connectors a store has, with their non-secret details. */
export async function listCredentialMeta(
  db: Knex,
  storeId: string,
): Promise<{ kind: CredentialKind; meta: Record<string, unknown>; updatedAt: string }[]> {
  const rows = await db('connector_credentials').where({ store_id: storeId }).select('kind', 'meta', 'updated_at');
  return rows.map((r) => ({ kind: r.kind, meta: r.meta ?? {}, updatedAt: new Date(r.updated_at).toISOString() }));
}
