/** Pages that approve or reject something fire this so the count in the menu follows. */
export const APPROVALS_CHANGED = 'hsb:approvals-changed';

export function approvalsChanged(): void {
  window.dispatchEvent(new Event(APPROVALS_CHANGED));
}
