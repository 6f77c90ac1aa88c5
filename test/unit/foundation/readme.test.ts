import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/index.js';
import { repoRoot } from '../../../src/paths.js';

// A merchant configures the service from the README: every variable the service reads must be there.
describe('README', () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  it('documents every environment variable', () => {
    const missing = Object.keys(configSchema.shape).filter((name) => !readme.includes(`\`${name}\``) && !readme.includes(`${name},`) && !readme.includes(`, \`${name}`));
    expect(missing).toEqual([]);
  });
  it('gives the two set-up commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
