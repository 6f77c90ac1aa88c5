/** src/pipeline/untraced-runs.ts: the graph answers the same; tracing variables turn it off. */
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import { RunnableLambda } from '@langchain/core/runnables';
import { END, START, StateGraph, Annotation } from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import { skipUntracedRunTrees, tracingRequested } from '../../../src/pipeline/untraced-runs.js';

const State = Annotation.Root({
  steps: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

function graph() {
  return new StateGraph(State)
    .addNode('a', async () => ({ steps: ['a'] }))
    .addNode('b', async (s: typeof State.State) => ({ steps: [`b after ${s.steps.join(',')}`] }))
    .addNode('c', async () => ({ steps: ['c'] }))
    .addEdge(START, 'a')
    .addEdge('a', 'b')
    .addConditionalEdges('b', (s: typeof State.State) => (s.steps.length > 1 ? 'c' : END), ['c', END])
    .addEdge('c', END)
    .compile();
}

describe('skipUntracedRunTrees', () => {
  it('is off when LangSmith or LangChain tracing is requested', () => {
    expect(tracingRequested({ LANGSMITH_TRACING: 'true' })).toBe(true);
    expect(tracingRequested({ LANGCHAIN_TRACING_V2: '1' })).toBe(true);
    expect(tracingRequested({ LANGSMITH_TRACING: 'false' })).toBe(false);
    expect(skipUntracedRunTrees({ LANGCHAIN_TRACING_V2: 'true' })).toBe(false);
  });

  it('leaves what a graph computes, and the config a node passes on, unchanged', async () => {
    const before = await graph().invoke({ steps: [] });
    expect(skipUntracedRunTrees({})).toBe(true);
    expect(skipUntracedRunTrees({})).toBe(true); // idempotent
    expect(await graph().invoke({ steps: [] })).toEqual(before);
    expect(before.steps).toEqual(['a', 'b after a', 'c']);
    // Config handed on explicitly still reaches a nested runnable.
    const seen = await RunnableLambda.from(async (_x: number, config) => config?.tags ?? []).invoke(1, { tags: ['explicit'] });
    expect(seen).toContain('explicit');
  });

  it('skips building the placeholder run tree for each call', () => {
    const store = AsyncLocalStorageProviderSingleton.getInstance();
    skipUntracedRunTrees({});
    let inside: unknown = 'unset';
    AsyncLocalStorageProviderSingleton.runWithConfig({ tags: ['x'] }, () => {
      inside = store.getStore();
    });
    expect(inside).toBeUndefined();
  });
});
