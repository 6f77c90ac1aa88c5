import type { AppContext } from '../../app/context.js';
import { storesRouter } from '../../api/stores.js';
import type { RouteModule } from '../app.js';

/** Every route module of the web process, in one place. */
export function routeModules(ctx: AppContext): RouteModule[] {
  return [{ path: '/api/v1', router: storesRouter(ctx) }];
}
