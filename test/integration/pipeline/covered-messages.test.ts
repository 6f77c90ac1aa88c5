import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findThread } from '../../../src/conversations/repository.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { loadDemoStore } from '../../helpers/stores.js';

// Which helpdesk messages a thread's turns answered: the guard and the burst rely on it to tell
// a message the bot answered from one it has not seen yet.
describe('findThread: the messages earlier turns answered', () => {
  let db: TestDb;
  let storeId: string;
  let conversationId: string;

  beforeAll(async () => {
    db = await createTestDb();
    storeId = (await loadDemoStore(db.knex)).id;
    [{ id: conversationId }] = await db.knex('conversations').insert({ store_id: storeId, channel: 'zendesk', external_id: '4242' }, ['id']);
  }, 60_000);
  afterAll(async () => db?.close());

  const userMessage = (externalId: string, metadata: Record<string, unknown>) =>
    db.knex('messages').insert({ store_id: storeId, conversation_id: conversationId, role: 'user', content: 'x', external_id: externalId, metadata: JSON.stringify(metadata) });
  const trace = (turnKey: string) => db.knex('decision_traces').insert({ store_id: storeId, conversation_id: conversationId, engine: 'local', outcome: 'auto', turn_key: turnKey });
  const covered = async () => [...(await findThread(db.knex, { storeId, channel: 'zendesk', externalId: '4242' })).coveredMessageIds].sort();

  it('counts a recorded turn: its own message and the rest of its burst', async () => {
    await userMessage('12', { turnKey: 'ie-a', covers: ['11', '12'] });
    await trace('ie-a');
    expect(await covered()).toEqual(['11', '12']);
  });

  it('does not count a message whose attempt crashed before its turn was recorded', async () => {
    await userMessage('13', { turnKey: 'ie-b' });
    expect(await covered()).toEqual(['11', '12']);
    await trace('ie-b'); // the retry recorded it
    expect(await covered()).toEqual(['11', '12', '13']);
  });

  it('is empty for a thread the bot has not seen', async () => {
    expect((await findThread(db.knex, { storeId, channel: 'zendesk', externalId: 'nope' })).coveredMessageIds.size).toBe(0);
  });
});
