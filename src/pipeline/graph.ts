import { END, START, StateGraph, type LangGraphRunnableConfig } from '@langchain/langgraph';
import { checkNode } from './nodes/check.js';
import { decideNode } from './nodes/decide-node.js';
import { awaitApprovalNode, deliverDecisionNode, escalateNode } from './nodes/deliver-decision.js';
import { gatherContextNode } from './nodes/gather-context.js';
import { respondNode } from './nodes/respond.js';
import { understandNode } from './nodes/understand.js';
import type { PipelineDeps } from './ports.js';
import { PipelineState, type State, type StateUpdate } from './state.js';

/** After the check: a human takes over, an action waits for approval, or the reply is delivered. */
export function routeAfterCheck(state: State): 'escalate' | 'awaitApproval' | 'deliverDecision' {
  if (state.decision?.escalation) return 'escalate';
  if (state.decision?.verdict?.status === 'needs_approval') return 'awaitApproval';
  return 'deliverDecision';
}

/** A run's dependencies arrive as its LangGraph context (see buildGraph). */
function depsOf(config: LangGraphRunnableConfig): PipelineDeps {
  const deps = (config as { context?: PipelineDeps }).context;
  if (!deps) throw new Error('pipeline graph invoked without its dependencies (use buildGraph(deps).invoke)');
  return deps;
}

/** understand → gatherContext → decide → respond → check → (escalate | awaitApproval | deliverDecision). */
function compileGraph() {
  return new StateGraph(PipelineState)
    .addNode('understand', (s: State, c: LangGraphRunnableConfig) => understandNode(depsOf(c))(s))
    .addNode('gatherContext', (s: State, c: LangGraphRunnableConfig) => gatherContextNode(depsOf(c))(s))
    .addNode('decide', decideNode())
    .addNode('respond', (s: State, c: LangGraphRunnableConfig) => respondNode(depsOf(c))(s))
    .addNode('check', checkNode())
    .addNode('escalate', escalateNode())
    .addNode('awaitApproval', awaitApprovalNode())
    .addNode('deliverDecision', (s: State, c: LangGraphRunnableConfig) => deliverDecisionNode(depsOf(c).now)(s))
    .addEdge(START, 'understand')
    .addEdge('understand', 'gatherContext')
    .addEdge('gatherContext', 'decide')
    .addEdge('decide', 'respond')
    .addEdge('respond', 'check')
    .addConditionalEdges('check', routeAfterCheck, ['escalate', 'awaitApproval', 'deliverDecision'])
    .addEdge('escalate', END)
    .addEdge('awaitApproval', END)
    .addEdge('deliverDecision', END)
    .compile();
}

export type PipelineGraph = { invoke(input: StateUpdate): Promise<State> };

let compiled: ReturnType<typeof compileGraph> | undefined;

/**
 * The pipeline for one store's turn. The graph itself is compiled once per process: compiling
 * is per-request work that belongs at start-up. What differs between stores and turns (orders,
 * knowledge version, engine, clock) is handed to the run as its context, so nodes stay plain
 * functions of (state, injected deps).
 */
export function buildGraph(deps: PipelineDeps): PipelineGraph {
  const graph = (compiled ??= compileGraph());
  return { invoke: async (input) => (await graph.invoke(input, { context: deps })) as State };
}
