import type { HelpdeskProvider } from '../registry.js';
import { splitZendeskConfig, zendeskConfigFromEnv, zendeskConfigSchema } from './zendesk.config.js';
import { createZendeskConnector } from './zendesk.connector.js';

export { createZendeskConnector } from './zendesk.connector.js';
export { zendeskConfigSchema, type ZendeskConfig } from './zendesk.config.js';

export const zendeskProvider: HelpdeskProvider = {
  kind: 'zendesk',
  parseConfig: (input) => splitZendeskConfig(zendeskConfigSchema.parse(input)),
  create: (stored, deps) =>
    createZendeskConnector(zendeskConfigSchema.parse({ ...stored.meta, ...stored.secrets }), deps),
  fromEnv(config) {
    const raw = zendeskConfigFromEnv(config);
    // Validated by create(): incomplete env is reported by field name, like bad stored credentials.
    return raw ? splitZendeskConfig(raw) : null;
  },
};
