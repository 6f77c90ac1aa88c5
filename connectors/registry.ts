/**
 * The only place that knows every helpdesk connector. Credentials come from
 * `connector_credentials` (decrypted), or for the store with slug `demo` from environment
 * variables (single-store install). Connectors never read env or the database themselves.
 */
import type { Knex } from 'knex';
import { ZodError } from 'zod';
import type { AppContext } from '../src/app/context.js';
import type { Config } from '../src/config/index.js';
import { loadCredentials, openCredentials, type CredentialRow } from '../src/store/credentials.js';
import { createLogger, type Logger } from '../src/logger.js';
import type { Store } from '../src/store/stores.js';
import { gorgiasProvider } from './gorgias/index.js';
import type { ConnectorDeps } from './http.js';
import type { HelpdeskConnector, HelpdeskKind } from './types.js';
import { zendeskProvider } from './zendesk/index.js';
import { emailProvider } from './email/index.js';

export type { ConnectorDeps } from './http.js';

/** Stored form of a connection: secrets are encrypted at rest, meta may be shown in the API. */
export type StoredConnection = { secrets: Record<string, unknown>; meta: Record<string, unknown> };

/** What a vendor folder exports so the registry, the credentials API and intake can use it. */
export type HelpdeskProvider = {
  readonly kind: HelpdeskKind;
  /** Validates credentials as given to `PUT …/connectors/:kind` (throws ZodError); splits them. */
  parseConfig(input: unknown): StoredConnection;
  /** Builds the connector from a stored connection (validated again; throws ZodError). */
  create(stored: StoredConnection, deps: ConnectorDeps, scope: ProviderScope): HelpdeskConnector;
  /** The demo store's connection from environment variables, or null when they are not set. */
  fromEnv(config: Config): StoredConnection | null;
};

/**
 * A connector that resolves its own settings (stored credentials, env for the demo store) and
 * needs more than credentials to be built, e.g. email (database for thread state, a logger).
 * Answers null when the store has not configured it.
 */
export type HelpdeskFactory = (
  ctx: Pick<AppContext, 'db' | 'encryptionKey' | 'config' | 'logger'>,
  store: Store,
  deps: ConnectorDeps,
) => Promise<HelpdeskConnector | null>;

/** What a connector with no vendor behind it (email) needs: our database and the store. */
export type ProviderScope = { db: Knex; config: Config; logger?: Logger; store: Pick<Store, 'id' | 'slug'> };

export const DEMO_STORE_SLUG = 'demo';

/** Vendors built from credentials alone; they also back the credentials API. */
const HELPDESK_PROVIDERS: Partial<Record<HelpdeskKind, HelpdeskProvider>> = {
  zendesk: zendeskProvider,
  gorgias: gorgiasProvider,
  email: emailProvider,
};

/**
 * EXTENSION POINT (email): one line, e.g.
 *   email: (ctx, store) => createEmailConnector(ctx, store),
 * (import from './email/index.js'; answer null when the store has no mailbox configured).
 * A kind listed here is resolved by its factory instead of HELPDESK_PROVIDERS.
 */
const HELPDESK_FACTORIES: Partial<Record<HelpdeskKind, HelpdeskFactory>> = {};

const quietLogger = createLogger('silent');

export function getHelpdeskProvider(kind: string): HelpdeskProvider | null {
  if (!Object.hasOwn(HELPDESK_PROVIDERS, kind)) return null;
  return HELPDESK_PROVIDERS[kind as HelpdeskKind] ?? null;
}

export function helpdeskKinds(): HelpdeskKind[] {
  return Object.keys(HELPDESK_PROVIDERS) as HelpdeskKind[];
}

export type RegistryContext = Pick<AppContext, 'db' | 'encryptionKey' | 'config'> &
  Partial<Pick<AppContext, 'logger'>>;

/**
 * Where a store's connection comes from: the database first, then env for the demo store.
 * `preloaded` is the store's row for `kind` when the caller already read it (null: none).
 */
export async function loadHelpdeskConnection(
  ctx: RegistryContext,
  store: Pick<Store, 'id' | 'slug'>,
  kind: HelpdeskKind,
  preloaded?: CredentialRow | null,
): Promise<{ source: 'database' | 'environment'; connection: StoredConnection } | null> {
  const provider = getHelpdeskProvider(kind);
  if (!provider) return null;
  const stored =
    preloaded === undefined
      ? await loadCredentials(ctx.db, ctx.encryptionKey, store.id, kind)
      : preloaded && openCredentials(ctx.encryptionKey, preloaded);
  if (stored) return { source: 'database', connection: stored };
  const fromEnv = store.slug === DEMO_STORE_SLUG ? provider.fromEnv(ctx.config) : null;
  return fromEnv ? { source: 'environment', connection: fromEnv } : null;
}

/**
 * The store's connector for `kind`, or null when it is not configured (or its credentials are
 * invalid: logged with field names only, never values).
 */
export async function getHelpdeskConnector(
  ctx: RegistryContext,
  store: Store,
  kind: HelpdeskKind,
  deps: ConnectorDeps = {},
  preloaded?: CredentialRow | null,
): Promise<HelpdeskConnector | null> {
  const factory = HELPDESK_FACTORIES[kind];
  if (factory) return factory({ ...ctx, logger: ctx.logger ?? quietLogger }, store, deps);
  const provider = getHelpdeskProvider(kind);
  const found = provider ? await loadHelpdeskConnection(ctx, store, kind, preloaded) : null;
  if (!provider || !found) return null;
  try {
    const timeoutMs = ctx.config.HELPDESK_HTTP_TIMEOUT_MS;
    const apiReserve = ctx.config.HELPDESK_API_RESERVE_PERCENT / 100;
    const scope: ProviderScope = { db: ctx.db, config: ctx.config, logger: ctx.logger, store };
    return provider.create(found.connection, { timeoutMs, apiReserve, ...deps }, scope);
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    ctx.logger?.warn(
      {
        storeId: store.id,
        kind,
        source: found.source,
        fields: err.issues.map((i) => i.path.join('.')),
      },
      'helpdesk credentials are incomplete or invalid; connector disabled',
    );
    return null;
  }
}
