import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { PermanentError, RetryableError } from '../../../src/errors.js';
import { createOpenAIEmbedder, embedderFromConfig } from '../../../src/knowledge/embedder.js';

// Response shape: OpenAI API reference, POST /v1/embeddings ("The embedding object"):
// {object:"list", data:[{object:"embedding", embedding:[…], index}], model, usage:{prompt_tokens,total_tokens}}
const OPENAI = 'https://api.openai.com';
const reply = (vectors: number[][]) => ({
  object: 'list',
  data: vectors.map((embedding, index) => ({ object: 'embedding', embedding, index })).reverse(),
  model: 'text-embedding-3-small',
  usage: { prompt_tokens: 8, total_tokens: 8 },
});

afterEach(() => nock.cleanAll());

describe('createOpenAIEmbedder', () => {
  it('posts {model, input} with the bearer key and returns vectors in input order', async () => {
    const scope = nock(OPENAI, { reqheaders: { authorization: 'Bearer sk-test' } })
      .post('/v1/embeddings', { model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 3 })
      .reply(200, reply([[1, 0, 0], [0, 1, 0]]));
    const embedder = createOpenAIEmbedder({ apiKey: 'sk-test', model: 'text-embedding-3-small', timeoutMs: 2000, dimensions: 3 });
    expect(await embedder.embed(['a', 'b'])).toEqual([[1, 0, 0], [0, 1, 0]]);
    scope.done();
  });

  it('batches inputs and talks to any OpenAI-compatible base URL without a key', async () => {
    const scope = nock('http://llm.internal:11434', { badheaders: ['authorization'] })
      .post('/v1/embeddings', (b) => b.input.length === 2)
      .reply(200, reply([[1], [2]]))
      .post('/v1/embeddings', (b) => b.input.length === 1)
      .reply(200, reply([[3]]));
    const embedder = createOpenAIEmbedder({ baseUrl: 'http://llm.internal:11434/v1/', model: 'nomic-embed-text', timeoutMs: 2000, batchSize: 2 });
    expect(await embedder.embed(['x', 'y', 'z'])).toEqual([[1], [2], [3]]);
    scope.done();
  });

  it('turns 429 into a RetryableError carrying Retry-After', async () => {
    nock(OPENAI).post('/v1/embeddings').reply(429, { error: { message: 'Rate limit reached' } }, { 'retry-after': '7' });
    const embedder = createOpenAIEmbedder({ apiKey: 'k', model: 'm', timeoutMs: 2000 });
    const err = await embedder.embed(['a']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).retryAfterMs).toBe(7000);
    expect((err as Error).message).toContain('Rate limit reached');
  });

  it('turns 5xx and network failures into RetryableError, other 4xx into PermanentError', async () => {
    const embedder = createOpenAIEmbedder({ apiKey: 'k', model: 'm', timeoutMs: 2000 });
    nock(OPENAI).post('/v1/embeddings').reply(503, 'upstream down');
    await expect(embedder.embed(['a'])).rejects.toBeInstanceOf(RetryableError);
    nock(OPENAI).post('/v1/embeddings').replyWithError('socket hang up');
    await expect(embedder.embed(['a'])).rejects.toBeInstanceOf(RetryableError);
    nock(OPENAI).post('/v1/embeddings').reply(401, { error: { message: 'Incorrect API key provided' } });
    const err = await embedder.embed(['a']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).status).toBe(401);
  });

  it('rejects a body whose vectors do not match the inputs', async () => {
    nock(OPENAI).post('/v1/embeddings').reply(200, reply([[1]]));
    const embedder = createOpenAIEmbedder({ apiKey: 'k', model: 'm', timeoutMs: 2000 });
    await expect(embedder.embed(['a', 'b'])).rejects.toBeInstanceOf(PermanentError);
  });
});

describe('embedderFromConfig', () => {
  const cfg = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });
  it('is off unless EMBEDDINGS_MODEL and a provider (key or base URL) are set', () => {
    expect(embedderFromConfig(cfg({}))).toBeNull();
    expect(embedderFromConfig(cfg({ OPENAI_API_KEY: 'sk' }))).toBeNull();
    expect(embedderFromConfig(cfg({ EMBEDDINGS_MODEL: 'text-embedding-3-small' }))).toBeNull();
    expect(embedderFromConfig(cfg({ EMBEDDINGS_MODEL: 'text-embedding-3-small', OPENAI_API_KEY: 'sk' }))?.model).toBe(
      'text-embedding-3-small',
    );
    expect(embedderFromConfig(cfg({ EMBEDDINGS_MODEL: 'bge-m3', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }))?.model).toBe('bge-m3');
  });
});
