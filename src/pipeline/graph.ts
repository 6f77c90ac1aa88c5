import { END, START, StateGraph } from '@langchain/langgraph';
import { checkNode } from './nodes/check.js';
import { decideNode } from './nodes/decide-node.js';
import { awaitApprovalNode, deliverDecisionNode, escalateNode } from './nodes/deliver-decision.js';
import { gatherContextNode } from './nodes/gather-context.js';
import { respondNode } from './nodes/respond.js';
import { understandNode } from './nodes/understand.js';
import type { PipelineDeps } from './ports.js';
import { PipelineState, type State } from './state.js';

/** After the check: a human takes over, an action waits for approval, or the reply is delivered. */
export function routeAfterCheck(state: State): 'escalate' | 'awaitApproval' | 'deliverDecision' {
  if (state.decision?.escalation) return 'escalate';
  if (state.decision?.verdict?.status === 'needs_approval') return 'awaitApproval';
  return 'deliverDecision';
}

/** understand → gatherContext → decide → respond → check → (escalate | awaitApproval | deliverDecision). */
export function buildGraph(deps: PipelineDeps) {
  return new StateGraph(PipelineState)
    .addNode('understand', understandNode(deps))
    .addNode('gatherContext', gatherContextNode(deps))
    .addNode('decide', decideNode())
    .addNode('respond', respondNode(deps))
    .addNode('check', checkNode())
    .addNode('escalate', escalateNode())
    .addNode('awaitApproval', awaitApprovalNode())
    .addNode('deliverDecision', deliverDecisionNode(deps.now))
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

export type PipelineGraph = ReturnType<typeof buildGraph>;
