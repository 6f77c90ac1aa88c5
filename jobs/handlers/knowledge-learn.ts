import type { AppContext } from '../../src/app/context.js';
import { learnFromConversation } from '../../src/knowledge/learn.js';
import type { JobData } from '../catalog.js';

/**
 * `knowledge.learn`: agent replies on a resolved conversation → candidate FAQ entries for a
 * person to approve (GET/POST /api/v1/stores/:id/knowledge/candidates…). Safe to run twice.
 */
export function knowledgeLearnHandler(ctx: AppContext) {
  const log = ctx.logger.child({ component: 'knowledge.learn' });
  return async (data: JobData<'knowledge.learn'>) => {
    const result = await learnFromConversation(ctx.db, data);
    log.info({ storeId: data.storeId, conversationId: data.conversationId, ...result }, 'knowledge learned');
    return result;
  };
}
