import type { EscalationTarget, Settings } from '../../types';
import { TextField, type Draft, type SetDraft } from './Section';

/** Where an escalated ticket goes in each helpdesk, and where escalated email is forwarded. */
export function EscalationFields({ draft, set }: { draft: Draft; set: SetDraft }) {
  const esc = draft.escalation as Settings['escalation'];
  const target = (desk: 'zendesk' | 'gorgias', field: keyof EscalationTarget) => (v: string) =>
    set((d) => ({ ...d, escalation: { ...esc, [desk]: { ...esc[desk], [field]: v || null } } }));
  return (
    <div className="grid-3">
      <fieldset>
        <legend>Zendesk</legend>
        <TextField id="esc-zd-group" text="Group id" value={esc.zendesk.groupId} onChange={target('zendesk', 'groupId')} />
        <TextField id="esc-zd-assignee" text="Agent id" value={esc.zendesk.assigneeId} onChange={target('zendesk', 'assigneeId')} />
      </fieldset>
      <fieldset>
        <legend>Gorgias</legend>
        <TextField id="esc-gg-team" text="Team id" value={esc.gorgias.teamId} onChange={target('gorgias', 'teamId')} />
        <TextField id="esc-gg-assignee" text="Agent id" value={esc.gorgias.assigneeId} onChange={target('gorgias', 'assigneeId')} />
      </fieldset>
      <fieldset>
        <legend>Email</legend>
        <TextField
          id="esc-email"
          text="Forward to"
          type="email"
          value={esc.email.forwardTo}
          onChange={(v) => set((d) => ({ ...d, escalation: { ...esc, email: { forwardTo: v || null } } }))}
        />
      </fieldset>
    </div>
  );
}
