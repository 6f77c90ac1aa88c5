import type { AppContext } from '../../src/app/context.js';
import type { jobCatalog } from '../catalog.js';
import type { Handlers } from '../workers.js';

/** The handler of each job, built with the process's clients. */
export function buildHandlers(_ctx: AppContext): Handlers<typeof jobCatalog> {
  return {};
}
