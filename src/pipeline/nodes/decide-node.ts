import type { State, StateUpdate } from '../state.js';
import { traced } from '../trace.js';
import { decide } from './decide.js';

/** Decide (deterministic code, not the model). */
export function decideNode() {
  return async (state: State): Promise<StateUpdate> => {
    const { result, entry } = await traced(
      'decide',
      () =>
        decide({
          understanding: state.understanding!,
          requesterEmail: state.input.requesterEmail,
          context: state.context!,
          settings: state.input.settings,
          newAddress: state.newAddress,
        }),
      (d) => d,
    );
    return { decision: result, trace: [entry] };
  };
}
