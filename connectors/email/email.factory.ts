import type { Knex } from 'knex';
import type { AppContext } from '../../src/app/context.js';
import type { Logger } from '../../src/logger.js';
import type { Store } from '../../src/store/stores.js';
import {
  emailConfigInputSchema,
  emailConnectionFromEnv,
  emailSettingsFromConnection,
  resolveEmailSettings,
  splitEmailConfig,
} from './email.config.js';
import { EmailConnector } from './email.connector.js';
import type { Config } from '../../src/config/index.js';
import type { HelpdeskProvider } from '../registry.js';
import type { HelpdeskConnector } from '../types.js';

type Ctx = Pick<AppContext, 'db' | 'logger' | 'config' | 'encryptionKey'>;

/** The email connector of one store (its credentials, or the environment for the demo store). */
export async function createEmailConnector(
  ctx: Ctx,
  store: Pick<Store, 'id' | 'slug'>,
): Promise<EmailConnector> {
  const settings = await resolveEmailSettings(ctx, store);
  return new EmailConnector({ db: ctx.db, logger: ctx.logger, storeId: store.id, settings });
}

/**
 * What the registry's `create` must pass besides the stored connection: email has no helpdesk
 * behind it, so its "tickets" are our own conversations and it needs the database and the store.
 */
export type EmailProviderScope = { db: Knex; config: Config; logger?: Logger; store: Pick<Store, 'id'> };

/** The email entry for connectors/registry.ts (HelpdeskProvider shape). */
export const emailProvider = {
  kind: 'email' as const,
  /** PUT …/connectors/email body → encrypted secrets (SMTP/IMAP logins, webhook secrets) + meta. */
  parseConfig: (input: unknown) => splitEmailConfig(emailConfigInputSchema.parse(input)),
  create(
    stored: { secrets: Record<string, unknown>; meta: Record<string, unknown> },
    _deps: unknown,
    scope?: EmailProviderScope,
  ): HelpdeskConnector {
    if (!scope) {
      throw new Error(
        'email connector: the registry must pass { db, config, store } as the third argument of create()',
      );
    }
    const settings = emailSettingsFromConnection(scope.config, stored);
    return new EmailConnector({ db: scope.db, logger: scope.logger, storeId: scope.store.id, settings });
  },
  fromEnv: (config: Config) => emailConnectionFromEnv(config),
} satisfies HelpdeskProvider;

