import type { HelpdeskProvider } from '../registry.js';
import { gorgiasConfigFromEnv, gorgiasConfigSchema, splitGorgiasConfig } from './gorgias.config.js';
import { createGorgiasConnector } from './gorgias.connector.js';

export { createGorgiasConnector } from './gorgias.connector.js';
export { gorgiasConfigSchema, type GorgiasConfig } from './gorgias.config.js';

export const gorgiasProvider: HelpdeskProvider = {
  kind: 'gorgias',
  parseConfig: (input) => splitGorgiasConfig(gorgiasConfigSchema.parse(input)),
  create: (stored, deps) =>
    createGorgiasConnector(gorgiasConfigSchema.parse({ ...stored.meta, ...stored.secrets }), deps),
  fromEnv(config) {
    const raw = gorgiasConfigFromEnv(config);
    // Validated by create(): incomplete env is reported by field name, like bad stored credentials.
    return raw ? splitGorgiasConfig(raw) : null;
  },
};
