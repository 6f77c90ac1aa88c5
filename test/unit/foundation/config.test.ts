import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.js';

describe('configuration', () => {
  it('has working defaults for a fresh install (no variables set)', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.OPENAI_API_KEY).toBeUndefined();
  });

  it('lists every problem at once, naming each variable', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        REDIS_URL: 'http://localhost:6379',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        NODE_ENV: 'production',
        BOOTSTRAP_API_KEY: 'short',
        SHOPIFY_API_KEY: 'k',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'REDIS_URL', 'DATABASE_URL', 'LOG_LEVEL', 'BOOTSTRAP_API_KEY', 'ENCRYPTION_KEY', 'SHOPIFY_API_SECRET']) {
      expect(problems).toContain(name);
    }
    expect((error as ConfigError).problems).toHaveLength(7);
  });

  it('never echoes a secret value in its message', () => {
    try {
      loadConfig({ ENCRYPTION_KEY: 'super-secret-but-wrong-length', NODE_ENV: 'test' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toContain('ENCRYPTION_KEY');
      expect((err as Error).message).not.toContain('super-secret');
    }
  });

  it('serves worker metrics only with a token: METRICS_PORT alone is refused, a bad port named', () => {
    expect(() => loadConfig({ METRICS_PORT: '9464' })).toThrow(/METRICS_TOKEN: is required when METRICS_PORT is set/);
    expect(() => loadConfig({ METRICS_PORT: 'ninety', METRICS_TOKEN: 'a-long-enough-token' })).toThrow(/METRICS_PORT: must be a port number/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16/);
    const config = loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: 'a-long-enough-token' });
    expect(config.METRICS_PORT).toBe(9464);
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ DATABASE_URL: '', OPENAI_API_KEY: '  ' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.OPENAI_API_KEY).toBeUndefined();
  });
});
