import { modeFor } from '../../domain/settings.js';
import { withinBusinessHours } from '../business-hours.js';
import type { State, StateUpdate } from '../state.js';
import { traced } from '../trace.js';

/**
 * Deliver-decision (DESIGN step 7): the store's mode for this intent (`off | draft | auto`); `auto`
 * also needs confidence at or above the threshold, a reply that passed the check, and business
 * hours, else it falls back to `draft`.
 */
export function deliverDecisionNode(now: () => Date = () => new Date()) {
  return async (state: State): Promise<StateUpdate> => {
    const { result, entry } = await traced(
      'deliverDecision',
      () => {
        const settings = state.input.settings;
        const u = state.understanding!;
        const mode = modeFor(settings, u.intent);
        if (mode === 'off') return { outcome: 'off' as const, reason: `mode is off for ${u.intent}` };
        if (mode === 'draft') return { outcome: 'draft' as const, reason: `mode is draft for ${u.intent}` };
        if (state.checkResult && !state.checkResult.ok) return { outcome: 'draft' as const, reason: `grounding check failed: ${state.checkResult.problems.join('; ')}` };
        if (u.confidence < settings.confidence_threshold) {
          return { outcome: 'draft' as const, reason: `confidence ${u.confidence.toFixed(2)} below the auto threshold ${settings.confidence_threshold}` };
        }
        if (!withinBusinessHours(settings.business_hours, now())) {
          // Outside hours the answer waits for the team; optionally the customer hears so at once.
          const holding = settings.business_hours.outsideHours === 'holding_reply';
          return { outcome: 'draft' as const, reason: holding ? 'outside business hours: holding reply sent, answer drafted' : 'outside business hours', holding };
        }
        return { outcome: 'auto' as const, reason: `mode is auto for ${u.intent} and confidence ${u.confidence.toFixed(2)} ≥ ${settings.confidence_threshold}` };
      },
      (o) => o,
    );
    return { outcome: result, trace: [entry] };
  };
}

/** Escalation: a human takes over (reassignment with a summary note; no public reply). */
export function escalateNode() {
  return async (state: State): Promise<StateUpdate> => {
    const esc = state.decision!.escalation!;
    const { result, entry } = await traced('escalate', () => ({ outcome: 'escalated' as const, reason: `${esc.reason}: ${esc.detail}` }), (o) => ({ ...o, priority: esc.priority }));
    return { outcome: result, trace: [entry] };
  };
}

/** Human approval: the action waits in `actions` until an agent approves it; the reply is held as a draft. */
export function awaitApprovalNode() {
  return async (state: State): Promise<StateUpdate> => {
    const v = state.decision!.verdict;
    const { result, entry } = await traced(
      'awaitApproval',
      () => ({ outcome: 'awaiting_approval' as const, reason: v && 'reason' in v ? v.reason : 'approval required' }),
      (o) => o,
    );
    return { outcome: result, trace: [entry] };
  };
}
