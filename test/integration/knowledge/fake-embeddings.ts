import nock from 'nock';

/**
 * A stand-in for an embeddings model: one dimension per topic, counting the topic's words, so
 * "parcel for the courier" lands near the returns section with no word in common with it.
 * Replies in the OpenAI shape (API reference, POST /v1/embeddings): {data:[{embedding, index}], usage}.
 */
const TOPICS = [
  ['cancel'],
  ['return', 'parcel', 'courier'],
  ['exchange', 'swap'],
  ['modify', 'change'],
  ['payment', 'card', 'gift'],
  ['authenticate', 'identity'],
];

export function fakeEmbedding(text: string): number[] {
  const t = text.toLowerCase();
  return [...TOPICS.map((words) => words.reduce((n, w) => n + (t.split(w).length - 1), 0)), 0.1];
}

export const OPENAI = 'https://api.openai.com';

export function embeddingsReply(body: { input: string[] }) {
  return {
    object: 'list',
    data: body.input.map((text, index) => ({ object: 'embedding', embedding: fakeEmbedding(text), index })),
    model: 'text-embedding-3-small',
    usage: { prompt_tokens: body.input.length, total_tokens: body.input.length },
  };
}

/** Answers `times` embeddings requests like a model would. */
export function mockEmbeddings(times = 1) {
  return nock(OPENAI)
    .post('/v1/embeddings')
    .times(times)
    .reply(200, (_uri, body) => embeddingsReply(body as { input: string[] }));
}
