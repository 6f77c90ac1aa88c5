import { checkGrounding } from '../check/grounding.js';
import type { State, StateUpdate } from '../state.js';
import { traced } from '../trace.js';
import { replyFacts } from './respond.js';

/** Check: reject a reply that states facts not in the context or promises an action not taken. */
export function checkNode() {
  return async (state: State): Promise<StateUpdate> => {
    const { result, entry } = await traced('check', () => checkGrounding(state.reply!.text, replyFacts(state)), (c) => c);
    return { checkResult: result, trace: [entry] };
  };
}
